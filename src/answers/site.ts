import type { EntryRef, KnowledgeBase } from "../knowledge/types.ts";
import { entryUrl, SITE_NAME } from "../knowledge/urls.ts";
import type { EntryLink } from "./views.ts";

/** Credits the site on every answer; its text is CC BY 4.0 when served from a checkout. */
export function siteCredit(kb: KnowledgeBase): string {
  return kb.origin === "site" ? `From ${SITE_NAME} · CC BY 4.0` : `Stackbot · after ${SITE_NAME}`;
}

/** A named entry with the page it links to, as suggestions and "see also" lines show it. */
export function entryLink(kb: KnowledgeBase, entry: EntryRef & { name: string }): EntryLink {
  return { kind: entry.kind, id: entry.id, name: entry.name, url: entryUrl(kb, entry) };
}

export function entryLinks(kb: KnowledgeBase, entries: readonly (EntryRef & { name: string })[]): EntryLink[] {
  return entries.map((entry) => entryLink(kb, entry));
}
