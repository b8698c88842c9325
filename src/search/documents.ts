import { plainText } from "../content/mdx.ts";
import { words } from "../knowledge/normalize.ts";
import type { EntryKind, EntryRef, KnowledgeBase, Model } from "../knowledge/types.ts";

/** One searchable entry: its display name, the other names it answers to, and its text. */
export interface SearchDocument extends EntryRef {
  name: string;
  /** Names that count as an exact match: id, name, short names. */
  names: string[];
  /** Names that count as an alias match. */
  aliases: string[];
  summary: string;
  body: string;
}

/** Turns every entry of the knowledge base into a search document. */
export function documentsOf(kb: KnowledgeBase): SearchDocument[] {
  const docs: SearchDocument[] = [];
  const add = (kind: EntryKind, doc: Omit<SearchDocument, "kind">) => docs.push({ kind, ...doc });

  for (const licence of kb.licences.values()) {
    add("license", {
      id: licence.id,
      name: licence.name,
      names: [licence.id, licence.name, ...(licence.short_name ? [licence.short_name] : [])],
      aliases: [
        ...licence.aliases,
        ...(licence.spdx ? [licence.spdx] : []),
        ...(licence.hf_id && licence.hf_id !== "other" ? [licence.hf_id] : []),
      ],
      summary: licence.summary,
      body: [
        ...licence.you_may,
        ...licence.you_must,
        ...licence.you_may_not,
        ...licence.clauses.map((c) => c.text),
      ].join(" "),
    });
  }
  for (const family of kb.families.values()) {
    add("family", {
      id: family.id,
      name: family.name,
      names: [family.id, family.name],
      // A registry family answers to its curated aliases; the data's slugs may be model names ("codestral").
      aliases: [...family.aliases, ...(family.inRegistry ? [] : family.dataSlugs), ...(family.lab ? [family.lab] : [])],
      summary: family.summary,
      body: [family.lab, family.country, family.opennessNote].filter(Boolean).join(" "),
    });
  }
  for (const term of kb.terms.values()) {
    add("term", {
      id: term.slug,
      name: term.term,
      names: [term.slug, term.term],
      aliases: [...term.aliases],
      summary: term.summary,
      body: plainText(term.paragraphs.join(" ")),
    });
  }
  // A short name two models share ("mixtral", "qwen2.5") names neither: it stays with the family.
  const shortNameUse = new Map<string, number>();
  for (const model of kb.models.values()) {
    for (const name of modelShortNames(model)) shortNameUse.set(name, (shortNameUse.get(name) ?? 0) + 1);
  }
  for (const model of kb.models.values()) {
    add("model", {
      id: model.slug,
      name: model.displayName,
      names: [model.slug, model.displayName],
      aliases: modelShortNames(model).filter((name) => shortNameUse.get(name) === 1),
      summary: [model.developer, model.architecture, model.licenseText].filter(Boolean).join(" "),
      body: "",
    });
  }
  for (const section of kb.sections.values()) {
    add("section", {
      id: section.id,
      name: `${section.layerTitle}: ${section.heading}`,
      // A lesson answers to its title ("The KV cache"); a module section to its heading only, since
      // the layer's name ("Weights") is a word people use about anything.
      names: section.source === "lesson" ? [section.heading, section.layerTitle] : [section.heading],
      aliases: [],
      summary: section.summary,
      body: plainText(section.blocks.join(" ")),
    });
  }
  return docs;
}

const SIZE_OR_DATE = /^(?:\d+x)?\d+(?:\.\d+)?[bmkt]$|^a\d+b$|^e\d+b$|^\d{4}$|^v\d+$|^instruct$|^base$|^chat$/;

/**
 * What people call a model without its size or release tag: "Codestral 22B v0.1" is "codestral",
 * "Mixtral 8x7B" is "mixtral", "Qwen3-235B-A22B" is "qwen3". Several models may share one.
 */
export function modelShortNames(model: Model): string[] {
  const name = model.displayName.replace(/\([^)]*\)/g, " ");
  // "v0.1" splits into "v0" and "1": the number after a "v" goes with it.
  const kept = words(name).filter(
    (word, index, all) => !SIZE_OR_DATE.test(word) && !(/^\d+$/.test(word) && /^v\d+$/.test(all[index - 1] ?? "")),
  );
  const short = kept.join(" ").trim();
  return short && short !== words(model.displayName).join(" ") ? [short] : [];
}
