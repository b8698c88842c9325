import { plainText } from "../content/mdx.ts";
import type { EntryKind, EntryRef, KnowledgeBase } from "../knowledge/types.ts";

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
      aliases: [...family.aliases, ...family.dataSlugs, ...(family.lab ? [family.lab] : [])],
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
  for (const model of kb.models.values()) {
    add("model", {
      id: model.slug,
      name: model.displayName,
      names: [model.slug, model.displayName],
      aliases: [],
      summary: [model.developer, model.architecture, model.licenseText].filter(Boolean).join(" "),
      body: "",
    });
  }
  for (const section of kb.sections.values()) {
    add("section", {
      id: section.id,
      name: `${section.layerTitle}: ${section.heading}`,
      names: [section.heading],
      aliases: [],
      summary: "",
      body: plainText(section.blocks.join(" ")),
    });
  }
  return docs;
}
