import { foldText, words } from "../../knowledge/normalize.ts";
import type { KnowledgeBase } from "../../knowledge/types.ts";
import { type Hit, type Mention, SIZE_TOKEN } from "../../search/index.ts";
import type { Frame } from "../../understand/frame.ts";
import { familyOfMention } from "../../understand/names.ts";
import { versionNamed } from "../clause.ts";
import type { Knowledge, Subject } from "../types.ts";

/**
 * What a licence question is about: the first named licence, model or family; when the asker wants
 * to relicense ("release my starcoder2 fine-tune under MIT"), the model, not the licence it names.
 */
export function subjectOf(knowledge: Knowledge, text: string, frame: Frame, licensed: readonly Mention[]): Hit | null {
  const { kb, index } = knowledge;
  const relicensing = frame.situation.purposes.includes("relicense");
  // "Llama-3.1-Tulu-3-8B": a licence name at the head of a longer model name is part of that name.
  const inName = (mention: Mention) =>
    mention.kind === "license" &&
    licensed.some(
      (other) =>
        other.kind !== "license" &&
        other.start >= mention.start &&
        other.start <= mention.end &&
        other.end > mention.end,
    );
  // "Llama-3.1-Nemotron-51B": everything named inside such a head ("llama 3", "llama") belongs to it too.
  const heads = licensed.filter(inName);
  const insideHead = (mention: Mention) =>
    !heads.includes(mention) &&
    heads.some((head) => mention.start >= head.start && mention.end <= head.end) &&
    !licensed.some((other) => other.kind !== "license" && other.start < mention.start && other.end > mention.end);
  // "Mistral Large 2411": "mistral" is also an alias of Mistral 7B, but the words after it name
  // another release, so the family decides, by its versions.
  const otherRelease = (mention: Mention) => {
    if (mention.kind !== "model" || mention.match !== "alias") return false;
    const sameSpan = licensed.some(
      (other) => other.kind === "family" && other.start === mention.start && other.end === mention.end,
    );
    const own = new Set(words(kb.models.get(mention.id)?.displayName ?? ""));
    return sameSpan && frame.nameWords.some((word) => !own.has(word));
  };
  const candidates = licensed.filter((mention) => !inName(mention) && !insideHead(mention) && !otherRelease(mention));
  const first = (relicensing && candidates.find((mention) => mention.kind !== "license")) || candidates[0];
  if (first) return preferSized(kb, text, generationOf(kb, text, first));
  // "mixtral 8x22b": a glossary word that names a family's models stands for the family.
  for (const mention of frame.mentions) {
    const family = mention.kind === "term" ? familyOfMention(kb, index, mention) : undefined;
    if (family)
      return preferSized(kb, text, {
        kind: "family",
        id: family.id,
        name: family.name,
        match: mention.match,
        score: mention.score,
      });
  }
  return null;
}

/**
 * A data row found by a generation's name ("qwen2.5" is an alias of the site's Qwen 2.5 72B row)
 * stands for the generation, not that size: its family decides, by the registry's releases.
 */
function generationOf(kb: KnowledgeBase, text: string, hit: Mention): Mention {
  if (hit.kind !== "model" || hit.match !== "alias") return hit;
  const model = kb.models.get(hit.id);
  const family = model ? kb.families.get(model.familyId) : undefined;
  if (!model || !family?.inRegistry || sizesIn(text).length > 0 || sizesIn(model.displayName).length === 0) return hit;
  return { ...hit, kind: "family", id: family.id, name: family.name };
}

/**
 * A size token ("12b", "70B") chooses among the models of a family named without one: "qwen3 8b" is
 * the 8B model. It never picks an entry on its own.
 */
export function preferSized(kb: KnowledgeBase, question: string, hit: Mention | Hit): Hit {
  // A model row named by its generation ("Qwen2.5") but asked about at another size
  // ("qwen2.5-3b") is not that model: its family's registry decides by size.
  if (hit.kind === "model") {
    const model = kb.models.get(hit.id);
    const asked = sizesIn(question).filter((size) => /b$/.test(size));
    const family = model ? kb.families.get(model.familyId) : undefined;
    if (
      model &&
      family?.inRegistry &&
      asked.length > 0 &&
      !asked.some((size) => sizesIn(model.displayName).includes(size))
    )
      return { kind: "family", id: family.id, name: family.name, match: hit.match, score: hit.score };
    return hit;
  }
  if (hit.kind !== "family") return hit;
  const sizes = sizesIn(question);
  if (sizes.length === 0) return hit;
  const family = kb.families.get(hit.id);
  // With a version named ("Llama-3.1-8B"), only a model of that version's licence may be meant.
  const version = family ? versionNamed(family, question) : null;
  const sized = (family?.modelSlugs ?? []).flatMap((slug) => {
    const model = kb.models.get(slug);
    const ofVersion = !version || model?.licenceIds.includes(version.licenseId);
    return model && ofVersion && sizes.some((size) => sizesIn(model.displayName).includes(size)) ? [model] : [];
  });
  return sized.length === 1
    ? { kind: "model", id: sized[0]!.slug, name: sized[0]!.displayName, match: hit.match, score: hit.score }
    : hit;
}

/** Sizes written in a text, decimals kept whole: "1.8B" is 1.8b, never 8b. */
function sizesIn(text: string): string[] {
  return (foldText(text).match(/(?:\d+x)?\d+(?:\.\d+)?[bmkt](?![a-z0-9])|\ba\d+b\b/g) ?? []).filter((size) =>
    SIZE_TOKEN.test(size),
  );
}

export function toSubject(hit: Hit): Subject {
  return { ref: { kind: hit.kind, id: hit.id }, name: hit.name };
}
