import { canonicalWord, foldText, lookupKey, words } from "../knowledge/normalize.ts";
import type { Family, KnowledgeBase } from "../knowledge/types.ts";
import { editDistanceWithin } from "../search/edit-distance.ts";
import { type Mention, type SearchIndex, SIZE_TOKEN } from "../search/index.ts";
import type { Vocabulary } from "./vocabulary.ts";

/**
 * Names in a question, read whole: a tool whose name holds a family word (llama.cpp) is the tool;
 * a family word with a size, version or variant we do not hold ("Llama 3.2 Mini", "gemma 7 nano",
 * "zorblax-13b") is an unknown model, reported as such and never swapped for a real one.
 */
export interface ReadNames {
  /** Entries named, best first, without those inside a tool's name. */
  mentions: Mention[];
  tools: string[];
  /** Model-like names the content does not hold, as the question wrote them. */
  unknownNames: string[];
  /** The question with typed family names spelled as the content spells them ("quen3" -> "qwen3"). */
  resolvedText: string;
  /** Where each model or family name sits in the folded question, with the words attached to it. */
  nameSpans: [number, number][];
  /** Words attached to a named model or family ("90b vision" in "Llama 3.2 90B Vision"). */
  nameWords: string[];
  /** Sizes named ("90b"), and variant words ("vision"). */
  sizes: string[];
  variants: string[];
}

/** A token that is part of a model's name after its family word. */
const VERSION_TOKEN = /^\d+(?:\.\d+)*[a-z]?$|^[a-z]\d+(?:\.\d+)?[a-z]?$|^\d{4}$/;
/** A weight format's name, split as the question's words are ("q4_k_m" as "q4", "k", "m"). */
const QUANT_WORD =
  /^(?:q[2-8](?:_k(?:_[msl])?|_[01])?|i?q[1-4]_\w+|fp(?:4|8|16|32)|bf16|f16|int[48]|nf4|awq|gptq|gguf|mlx|exl2|\d(?:\.\d+)?bpw)$/;

/** What comes before a name the asker gives their own model: a quote, "as", "named", "call it". */
const OWN_NAME = /(?:['"‘“`]|\b(?:as|named|called|call it|name it|name)\s+['"‘“`]?)\s*$/;

/** Words of licence names, which a family's release list may use but a model's name never does. */
const LICENCE_WORDS: ReadonlySet<string> = new Set([
  "apache",
  "mit",
  "gpl",
  "bsd",
  "cc",
  "licence",
  "license",
  "terms",
  "community",
  "openrail",
  "commercial",
  "research",
]);

/** Words that join two names ("llama 3.1 vs 3.3") and are never part of one. */
const CONNECTORS: ReadonlySet<string> = new Set([
  "vs",
  "v",
  "versus",
  "or",
  "and",
  "to",
  "than",
  "with",
  "from",
  "of",
  "for",
  "on",
  "in",
]);

/** "zorblax-13b": a word and a size, the shape of a model name. */
const MODEL_SHAPED =
  /(?<![a-z0-9.])([a-z][a-z]{2,}[a-z0-9]*(?:[- ][a-z][a-z0-9]*)?)[- ]?(\d+(?:\.\d+)?[bm])(?![a-z0-9])/g;

export function readNames(kb: KnowledgeBase, index: SearchIndex, vocab: Vocabulary, question: string): ReadNames {
  const folded = foldText(question);
  const tokens = tokenSpans(folded);
  const toolMatches = vocab.matches("tool", question);
  // In the order the question names them: "koboldcpp is based on llama.cpp" is about KoboldCpp.
  const tools = [
    ...new Set([...toolMatches].sort((a, b) => a.match.index - b.match.index).map((found) => found.cue.means)),
  ];
  const toolRanges = toolMatches.map(({ match }) => [match.index, match.index + match[0].length] as const);
  const insideTool = (mention: Mention) => {
    const from = tokens[mention.start]?.start ?? -1;
    const to = tokens[mention.end - 1]?.end ?? -1;
    return toolRanges.some(([start, end]) => from >= start && to <= end);
  };
  const found = index.findMentions(question, { kinds: ["license", "model", "family", "term"] });
  const mentions = found.filter((mention) => !insideTool(mention));

  const sizes = tokens.map((token) => token.word).filter((word) => SIZE_TOKEN.test(word));
  const variants = tokens.map((token) => token.word).filter((word) => vocab.has("variant", "variant", word));

  const unknownNames: string[] = [];
  const covered = new Set<number>();
  let resolvedText = folded;
  const nameWords: string[] = [];
  const nameSpans: [number, number][] = [];
  for (const mention of mentions) {
    const family = familyOfMention(kb, index, mention);
    if (!family) continue;
    const known = familyTokens(kb, family);
    if (mention.match === "fuzzy" && mention.end - mention.start === 1) {
      const typed = tokens[mention.start]!.word;
      const spelled = [...known].find((token) => token.length > 3 && editDistanceWithin(typed, token, 1) !== null);
      if (spelled && spelled !== typed) resolvedText = resolvedText.replace(new RegExp(`\\b${typed}\\b`), spelled);
    }
    const extra: string[] = [];
    let unknown = false;
    // "starcoder5": a typed name with a version stuck to it.
    const typed = tokens[mention.start]?.word ?? "";
    const stuck = mention.match === "fuzzy" ? /^([a-z]+)(\d+)$/.exec(typed) : null;
    if (stuck && known.has(stuck[1]!) && !known.has(canonicalWord(typed))) unknown = true;
    for (let at = mention.end; at < tokens.length; at++) {
      const word = tokens[at]!.word;
      // "Qwen-7B (2023 release)", "Llama 3, 2024": a bracket, a comma or a year ends the name.
      const gap = folded.slice(tokens[at - 1]!.end, tokens[at]!.start);
      if (/[(,;[]/.test(gap) || /^(?:19|20)\d\d$/.test(word)) break;
      // "4k", "128k": a context length in a name, not a size or variant.
      if (vocab.has("variant", "generic", word) || /^\d+k$/.test(word)) continue;
      // "q6_k", "fp8", "awq": the weight format asked about ends the name.
      if (QUANT_WORD.test(word)) break;
      const sized = SIZE_TOKEN.test(word) || /^\d+x\d+b$/.test(word);
      const variant = vocab.has("variant", "variant", word);
      // "Mistral Gargantuan 3", "command-z-900b": a word the content never uses, or a lone letter,
      // followed by a version or size, is part of a model's name too.
      const next = tokens[at + 1]?.word ?? "";
      const nameLike =
        (!index.knowsWord(canonicalWord(word)) || /^[a-z]$/.test(word)) &&
        !index.isStopWord(word) &&
        !CONNECTORS.has(word) &&
        (SIZE_TOKEN.test(next) || VERSION_TOKEN.test(next));
      // "CohereLabs/command-z-900b": the family's own words continue the name after an org.
      const ownWord = known.has(word) && !LICENCE_WORDS.has(word) && !CONNECTORS.has(word) && !index.isStopWord(word);
      if (!sized && !variant && !nameLike && !ownWord && !VERSION_TOKEN.test(word)) break;
      // A number of users or dollars after the name ("llama 3.1 for 5 users") is not part of it.
      if (
        /^\d+$/.test(word) &&
        /^(?:k|m|b|million|billion|users?|mau|people|customers|gb|tb)$/.test(tokens[at + 1]?.word ?? "")
      )
        break;
      extra.push(word);
      covered.add(at);
      if (!known.has(canonicalWord(word)) && !known.has(word)) unknown = true;
    }
    // "Phi-3 mini": a release the registry covers as a whole ("Phi-3 and Phi-3.5 models") holds its siblings.
    const named = tokens.slice(mention.start, mention.end).map((token) => token.word);
    if (unknown && !stuck && coveredByBlanket(family, [...named, ...extra], known, vocab)) unknown = false;
    // "Llama 3.3 8B", "Llama 3.1 13B": each word is known, but that release never came in that size.
    const nameText = folded.slice(
      tokens[mention.start]!.start,
      tokens[mention.end - 1 + extra.length]?.end ?? tokens[mention.end - 1]!.end,
    );
    if (!unknown && sizeOutsideRelease(kb, family, nameText)) unknown = true;
    if (!unknown) nameWords.push(...extra);
    const spanEnd = tokens[mention.end - 1 + extra.length]?.end ?? tokens[mention.end - 1]?.end;
    if (mention.kind !== "term" && tokens[mention.start] && spanEnd !== undefined)
      nameSpans.push([tokens[mention.start]!.start, spanEnd]);
    if (unknown) {
      const from = tokens[mention.start]!.start;
      const to = tokens[mention.end - 1 + extra.length]?.end ?? tokens[mention.end - 1]!.end;
      unknownNames.push(folded.slice(from, Math.max(to, tokens[mention.end - 1]!.end)).trim());
    }
    for (let at = mention.start; at < mention.end; at++) covered.add(at);
  }
  // A model-shaped name that names nothing we hold: "zorblax-13b".
  for (const match of folded.matchAll(MODEL_SHAPED)) {
    const name = match[1]!;
    const start = match.index ?? 0;
    // "release it as 'Kestrel-13B'": the asker's own name for their model, not one to look up.
    if (OWN_NAME.test(folded.slice(Math.max(0, start - 24), start))) continue;
    const first = tokens.findIndex((token) => token.start === start);
    if (first >= 0 && covered.has(first)) continue;
    const nameWords = words(name);
    const knownWord = nameWords.some((word) => index.knowsWord(canonicalWord(word)) || index.isStopWord(word));
    if (!knownWord) unknownNames.push(match[0].trim());
  }
  return {
    mentions,
    tools,
    unknownNames: [...new Set(unknownNames)],
    resolvedText,
    nameSpans,
    nameWords: [...new Set(nameWords)],
    sizes,
    variants,
  };
}

interface TokenSpan {
  word: string;
  start: number;
  end: number;
}

/**
 * The folded question with the names it uses blanked out: words inside a name ("R1-Distill",
 * "Vision", "Coder") say which model, not what is asked about it.
 */
export function withoutNames(
  question: string,
  mentions: readonly Mention[],
  spans: readonly [number, number][] = [],
): string {
  const folded = foldText(question);
  const tokens = tokenSpans(folded);
  const ranges: [number, number][] = [...spans];
  for (const mention of mentions) {
    const from = tokens[mention.start]?.start;
    const to = tokens[mention.end - 1]?.end;
    if (from !== undefined && to !== undefined) ranges.push([from, to]);
  }
  let text = folded;
  for (const [from, to] of ranges) {
    // The word "licence" in a licence's name still says the question is about a licence.
    const blank = text
      .slice(from, to)
      .replace(/[^\s]+/g, (word) => (/^licen[cs]es?$/.test(word) ? word : " ".repeat(word.length)));
    text = `${text.slice(0, from)}${blank}${text.slice(to)}`;
  }
  return text;
}

/** Words as the index tokenises them, with where each sits in the folded text. */
function tokenSpans(folded: string): TokenSpan[] {
  return [...folded.matchAll(/[\p{L}\p{N}]+/gu)].map((match) => ({
    word: match[0],
    start: match.index ?? 0,
    end: (match.index ?? 0) + match[0].length,
  }));
}

const familyTokenCache = new WeakMap<Family, Set<string>>();

/** Every word any release or model of a family is called by: a name part outside it is unknown. */
function familyTokens(kb: KnowledgeBase, family: Family): Set<string> {
  const cached = familyTokenCache.get(family);
  if (cached) return cached;
  const texts = [
    family.name,
    family.id,
    ...family.aliases,
    ...family.dataSlugs,
    // Versions and model lists, not notes: prose would make any number a "known" version.
    // Sizes in an aside still name the release ("Mistral Small 3 (24B)"); the rest of the aside does not.
    ...family.licenses.flatMap((entry) => [
      entry.version,
      (entry.models ?? "").replace(
        /\([^)]*\)/g,
        (aside) => ` ${(aside.match(/\b\d+(?:\.\d+)?b\b/gi) ?? []).join(" ")} `,
      ),
    ]),
    ...family.modelSlugs.flatMap((slug) => {
      const model = kb.models.get(slug);
      return model ? [model.displayName, model.slug] : [];
    }),
  ];
  const tokens = new Set<string>();
  for (const text of texts) {
    for (const word of foldText(text).match(/\d+\.\d+[bmkt]?(?![a-z])|[\p{L}\p{N}]+/gu) ?? []) {
      tokens.add(word);
      tokens.add(canonicalWord(word));
      // "3.0" as the question's words split it: "3" and "0".
      for (const part of word.split(".")) tokens.add(part);
      // "qwen3", "starcoder2", "k2": the number inside a name is a version of it too.
      const trailing = /^[a-z]+(\d+(?:\.\d+)?)$/.exec(word)?.[1];
      if (trailing) tokens.add(trailing);
      // "k2", "v3": a letter and its number; never the digits inside a longer word ("t5gemma").
      const lettered = /^([a-z])(\d+)$/.exec(word);
      if (lettered) tokens.add(lettered[2]!);
    }
    tokens.add(lookupKey(text));
  }
  familyTokenCache.set(family, tokens);
  return tokens;
}

/** The family a name belongs to: a family, a model's family, or a glossary word that is a family's name. */
export function familyOfMention(kb: KnowledgeBase, index: SearchIndex, mention: Mention): Family | undefined {
  if (mention.kind === "family") return kb.families.get(mention.id);
  if (mention.kind === "model") return kb.families.get(kb.models.get(mention.id)?.familyId ?? "");
  if (mention.kind === "term") {
    const family = index.exact(mention.name, { kinds: ["family"] })[0];
    if (family) return kb.families.get(family.id);
    // "Mixtral": a glossary word that names a family's models.
    const key = lookupKey(mention.name);
    return [...kb.families.values()].find((candidate) => familyTokens(kb, candidate).has(key));
  }
  return undefined;
}

/** Words of a release entry that say it covers every model of that release. */
const BLANKET = /\b(?:all|every|others|siblings)\b|\bmodels\b|\breleases\b/i;

/**
 * Whether a release entry covers the named version as a whole, so its sizes and variants are known
 * without being listed: "Phi-3 and Phi-3.5 models" holds Phi-3 mini; "Every Yi model" holds Yi-34B.
 */
/**
 * A release named by its number ("3.3") with a size its registry entry does not list, and no data
 * row of the family carrying both: a model that was never released.
 */
function sizeOutsideRelease(kb: KnowledgeBase, family: Family, name: string): boolean {
  const sizes = name.match(/\b\d+(?:\.\d+)?b\b/g) ?? [];
  // The release number right after the family word ("llama 3.3", "llama3.1"), not one inside a name ("r1").
  const version = /^[a-z]{3,}[\s_-]?(\d+(?:\.\d+)?)(?![\d.]*b\b)/.exec(name)?.[1];
  if (!version || sizes.length === 0) return false;
  // "Qwen3" and "Qwen3-Max" both carry the number: the releases that list sizes decide.
  const entries = family.licenses.filter((candidate) => {
    const numbers = foldText(candidate.version).match(/\d+(?:\.\d+)?/g) ?? [];
    return numbers.length === 1 && numbers[0] === version;
  });
  const sized = entries.filter((entry) => /\b\d+(?:\.\d+)?b\b/.test(foldText(entry.models ?? "")));
  const listed = sized.flatMap((entry) => foldText(entry.models ?? "").match(/\b\d+(?:\.\d+)?b\b/g) ?? []);
  if (sized.length === 0 || sized.some((entry) => BLANKET.test(entry.models ?? ""))) return false;
  const inData = family.modelSlugs.some((slug) => {
    const name = foldText(kb.models.get(slug)?.displayName ?? "");
    return name.includes(version) && sizes.every((size) => name.includes(size));
  });
  return !inData && sizes.some((size) => !listed.includes(size));
}

function coveredByBlanket(
  family: Family,
  extra: readonly string[],
  known: ReadonlySet<string>,
  vocab: Vocabulary,
): boolean {
  const versions = extra.filter((word) => /^\d+(?:\.\d+)?$/.test(word));
  const unknownWords = extra.filter((word) => !known.has(word) && !known.has(canonicalWord(word)));
  return family.licenses.some((entry) => {
    const models = entry.models ?? "";
    if (!BLANKET.test(models)) return false;
    // Version numbers, not years ("since the 2024 switch").
    const own: string[] = (foldText(entry.version).match(/\d+(?:\.\d+)?/g) ?? []).filter(
      (number) => !/^(?:19|20)\d\d$/.test(number),
    );
    // A variant ("mini") only under a release the question names by number ("Phi-3").
    const namesRelease = own.length > 0 && versions.length > 0 && versions.every((version) => own.includes(version));
    // A size only where the entry covers every size and lists none it could be checked against.
    const listsSizes = (foldText(models).match(/\b\d+(?:\.\d+)?[bmk]\b/g) ?? []).length > 0;
    const sizesOk = /\b(?:all|every)\b/i.test(models) && (!listsSizes || /\bsizes\b/i.test(models));
    return unknownWords.every((word) =>
      SIZE_TOKEN.test(word)
        ? sizesOk && (own.length === 0 || namesRelease)
        : vocab.has("variant", "variant", word)
          ? namesRelease
          : false,
    );
  });
}
