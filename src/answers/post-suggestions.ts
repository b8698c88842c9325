import { uniqueHits } from "../search/index.ts";
import { LOOKUP_KINDS } from "./lookups.ts";
import { entryLinks } from "./site.ts";
import type { Knowledge } from "./types.ts";
import type { EntryLink } from "./views.ts";

/** Full-text scores below this are noise for a forum post ("what's the best pizza topping" scores ~40). */
export const POST_SCORE_THRESHOLD = 150;
const MAX_SUGGESTIONS = 3;

/**
 * Entries worth pointing a new forum post to: those its title or first message names outright,
 * then strong full-text matches. Empty means stay silent: a wrong suggestion is worse than none.
 */
export function suggestForPost({ kb, index }: Knowledge, title: string, body: string): EntryLink[] {
  const text = `${title}\n${body}`.slice(0, 2000);
  const named = [
    ...index.mentions(title, { kinds: ["license", "model", "family", "term"] }),
    ...index.mentions(text, { kinds: ["license", "model", "family", "term"] }),
  ];
  const searched = index
    .search(text, { kinds: LOOKUP_KINDS.ask, limit: MAX_SUGGESTIONS })
    .filter((hit) => hit.score >= POST_SCORE_THRESHOLD);
  return entryLinks(kb, uniqueHits([...named, ...searched]).slice(0, MAX_SUGGESTIONS));
}
