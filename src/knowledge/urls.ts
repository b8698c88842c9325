import type { EntryRef, KnowledgeBase } from "./types.ts";

export const SITE_NAME = "The Open-Source AI Stack";
export const SITE_URL = "https://www.open-source-ai.tech";

export const siteUrls = {
  home: () => SITE_URL,
  module: (layerSlug: string, anchor?: string) => `${SITE_URL}/learn/${layerSlug}${anchor ? `#${anchor}` : ""}`,
  layer: (layerSlug: string) => `${SITE_URL}/stack/${layerSlug}`,
  glossary: (slug: string) => `${SITE_URL}/glossary/${slug}`,
  project: (slug: string) => `${SITE_URL}/projects/${slug}`,
  model: (slug: string) => `${SITE_URL}/models/${slug}`,
  news: (date: string) => `${SITE_URL}/news/${date}`,
  lesson: (track: string, slug: string) => `${SITE_URL}/learn/${track}/${slug}`,
};

/** The page on the site that an entry links back to. */
export function entryUrl(kb: KnowledgeBase, ref: EntryRef): string {
  switch (ref.kind) {
    case "term": {
      const term = kb.terms.get(ref.id);
      if (!term || term.onSite) return siteUrls.glossary(ref.id);
      // Our own entry, with no page on the site: the lesson that uses it, or where its facts come from.
      const lesson = term.lessons.map((id) => kb.sections.get(id)?.url).find(Boolean);
      return lesson ?? term.sources[0]?.url ?? siteUrls.home();
    }
    case "model":
      return siteUrls.model(ref.id);
    case "section": {
      const known = kb.sections.get(ref.id)?.url;
      if (known) return known;
      const [layer, anchor] = ref.id.split("#");
      return siteUrls.module(layer ?? "weights", anchor);
    }
    case "family": {
      const project = kb.families.get(ref.id)?.projectSlug;
      return project ? siteUrls.project(project) : siteUrls.module("weights", "the-major-families-2026");
    }
    case "license":
      return siteUrls.module("weights", "the-license-tiers");
  }
}
