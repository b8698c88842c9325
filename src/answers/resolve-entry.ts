import { canonicalWord, lookupKey, words } from "../knowledge/normalize.ts";
import type { EntryKind } from "../knowledge/types.ts";
import { editDistanceWithin } from "../search/edit-distance.ts";
import { type Hit, SIZE_TOKEN } from "../search/index.ts";
import { uniqueBy } from "../search/unique-by.ts";
import type { Knowledge } from "./types.ts";

export type Resolution = { status: "found"; hit: Hit } | { status: "ambiguous" | "none"; suggestions: Hit[] };

/** A search result this much ahead of the next one is taken as the answer without asking. */
const CLEAR_LEAD = 1.6;
const MAX_SUGGESTIONS = 25;
/**
 * Below this full-text score a lookup's match is chance: a made-up name ("does-not-exist") scores
 * about 25 on common words of the bodies, a close miss of a real one ("lamma 3") about 40.
 */
export const MIN_TEXT_SCORE = 30;

/**
 * The tag-lookup state machine: exact id or name, then alias, then one clear full-text (fuzzy)
 * match, else "did you mean" with the closest entries, else nothing. `answersTo` names the answer a
 * hit leads to, so hits that lead to the same answer (a family and its models) count as one.
 */
export function resolveEntry(
  knowledge: Knowledge,
  query: string,
  kinds: readonly EntryKind[],
  answersTo: (hit: Hit) => string = (hit) => `${hit.kind}:${hit.id}`,
): Resolution {
  const exact = knowledge.index.exact(query, { kinds });
  if (exact[0]) return { status: "found", hit: exact[0] };
  // A name typed with a slip ("quen", "gema") or wrapped in words ("the Meta Llama 3 licence").
  const named = wholeNameIn(knowledge, query, kinds);
  if (named) return { status: "found", hit: named };
  const distinct = (hits: Hit[]) => uniqueBy(hits, answersTo);
  // Names and aliases first (a small index, and what people mostly type); the full text when they say nothing clear.
  const byName = distinct(knowledge.index.searchNames(query, kinds, MAX_SUGGESTIONS));
  if (isClear(byName)) return { status: "found", hit: byName[0]! };
  const searched = distinct(knowledge.index.search(query, { kinds, limit: MAX_SUGGESTIONS }));
  const results = searched.filter((hit) => hit.score >= MIN_TEXT_SCORE);
  if (isClear(results)) return { status: "found", hit: results[0]! };
  // A long name typed with two slips ("quantisaton" for quantization): the full text finds it, and
  // its name is within two edits of what was typed.
  const typed = lookupKey(query);
  // Only when exactly one name is that close: "deepseek-v" is near several, and gets the menu.
  const close =
    typed.length >= LONG_NAME
      ? searched.filter((hit) => editDistanceWithin(typed, lookupKey(hit.name), 2) !== null)
      : [];
  const misspelt = close.length === 1 ? close[0] : undefined;
  if (misspelt) return { status: "found", hit: misspelt };
  const suggestions = byName.length > 0 ? byName : results;
  return suggestions.length > 0 ? { status: "ambiguous", suggestions } : { status: "none", suggestions: [] };
}

/** Names this long may carry two slips and still be recognised. */
const LONG_NAME = 8;

function isClear([first, second]: Hit[]): boolean {
  return Boolean(first && (!second || first.score >= second.score * CLEAR_LEAD));
}

/**
 * The one entry the query names once filler words are set aside: its best mention must cover every
 * word that is not a stop word, and no other entry may be named the same way.
 */
function wholeNameIn(knowledge: Knowledge, query: string, kinds: readonly EntryKind[]): Hit | null {
  const { index } = knowledge;
  // A Hugging Face repo id ("meta-llama/Llama-3.1-8B") names the model after the slash.
  const text = /^[\w.-]+\/[\w.-]+$/.test(query.trim()) ? query.trim().split("/")[1]! : query;
  const tokens = words(text).map(canonicalWord);
  const [best, next] = index.findMentions(text, { kinds });
  if (!best) return null;
  const outside = tokens.filter(
    (token, position) =>
      (position < best.start || position >= best.end) &&
      !index.isStopWord(token) &&
      !FILLER.has(token) &&
      !SIZE_TOKEN.test(token),
  );
  if (outside.length > 0) return null;
  const tie = next && next.score === best.score && next.start === best.start && next.end === best.end;
  return tie ? null : best;
}

/** Words around a name that do not change which entry it is. */
const FILLER = new Set(
  ["licence", "license", "agreement", "community", "term", "meta", "model", "family", "weight"].map(canonicalWord),
);
