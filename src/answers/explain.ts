import { foldText, words } from "../knowledge/normalize.ts";
import { familyTierSummary } from "../knowledge/tiers.ts";
import type { EntryKind, EntryRef, KnowledgeBase, Licence, Tier } from "../knowledge/types.ts";
import type { Knowledge } from "../load/knowledge.ts";
import type { Mention } from "../search/index.ts";
import { uniqueBy } from "../search/unique-by.ts";
import { clauseFact, licenceTarget } from "./clause.ts";
import { siteCredit } from "./site.ts";
import type { Credited } from "./types.ts";
import { VERDICT_WORD } from "./verdicts.ts";

/** A message longer than this is read only this far: the work per message stays small. */
export const EXPLAIN_MAX_CHARACTERS = 4000;
/** At most this many entries are explained, in the order the message names them. */
export const EXPLAIN_MAX_ITEMS = 10;

const EXPLAINED_KINDS: readonly EntryKind[] = ["license", "family", "model", "term"];

export interface ExplainItem {
  ref: EntryRef;
  name: string;
  /** One line: a licence's or family's tier and commercial-use verdict, a term's summary. */
  gist: string;
}

/** "Explain with Stackbot" on a message: what it names, each in one line, and claims the content contradicts. */
export interface ExplainAnswer extends Credited {
  type: "explain";
  items: ExplainItem[];
  /** "The message calls Llama 3 open source; its licence is source-available, not OSI-approved." */
  claims: string[];
  /** The message was longer than EXPLAIN_MAX_CHARACTERS and only its start was read. */
  truncated: boolean;
}

const TIER_WORDS: Record<Tier, string> = {
  open: "open",
  "open-with-condition": "open, with a condition",
  "source-available": "source-available, with restrictions",
  proprietary: "proprietary",
};

/**
 * Finds every licence, family, model and glossary term a message names (by name or alias, never by
 * a loose word or a typo), at most EXPLAIN_MAX_ITEMS, and says what each is in one line.
 */
export function answerExplain(knowledge: Knowledge, message: string): ExplainAnswer {
  const { kb, index } = knowledge;
  const truncated = message.length > EXPLAIN_MAX_CHARACTERS;
  const text = message.slice(0, EXPLAIN_MAX_CHARACTERS);
  const mentions = onePerSpan(
    widest(index.findMentions(text, { kinds: EXPLAINED_KINDS }).filter((mention) => mention.match !== "fuzzy")),
  );
  const seen = new Set<string>();
  const contradicted = new Set<string>();
  const items: ExplainItem[] = [];
  const claims: string[] = [];
  // A claim is checked against the names in the same sentence as "open source".
  const openSourceWords = sentencesSaying(text, /\bopen[- ]?source\b/);
  for (const mention of mentions.sort((a, b) => a.start - b.start)) {
    const key = `${mention.kind}:${mention.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const licence =
      mention.kind === "term" ? null : (licenceTarget(kb, { ref: mention, name: mention.name })?.licence ?? null);
    items.push({ ref: { kind: mention.kind, id: mention.id }, name: mention.name, gist: gistOf(kb, mention, licence) });
    const callsOpenSource = openSourceWords.some(([from, to]) => mention.start >= from && mention.start < to);
    if (
      callsOpenSource &&
      licence &&
      !licence.osi_approved &&
      mention.kind !== "term" &&
      !contradicted.has(licence.id)
    ) {
      contradicted.add(licence.id);
      claims.push(
        `The message calls ${mention.name} open source; its licence (${licence.short_name ?? licence.name}) is ${TIER_WORDS[licence.tier]}, not OSI-approved.`,
      );
    }
    if (items.length === EXPLAIN_MAX_ITEMS) break;
  }
  return { type: "explain", items, claims: claims.slice(0, 3), truncated, credit: siteCredit(kb) };
}

/** The word ranges (as findMentions counts words) of the sentences that match `pattern`. */
function sentencesSaying(text: string, pattern: RegExp): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (const sentence of text.split(/(?<=[.!?\n])\s+/)) {
    const count = words(sentence).length;
    if (pattern.test(foldText(sentence))) ranges.push([start, start + count]);
    start += count;
  }
  return ranges;
}

/**
 * One entry per stretch of text: findMentions lists the best reading of a stretch first (a name
 * before an alias, a family before the glossary entry of the same name), so "Llama 3" is the
 * licence, not also the Llama 3 8B model.
 */
function onePerSpan(mentions: Mention[]): Mention[] {
  return uniqueBy(mentions, (mention) => `${mention.start}:${mention.end}`);
}

/** The mentions no longer mention contains: "Llama 3.1" rather than the "Llama" inside it. */
function widest(mentions: Mention[]): Mention[] {
  return mentions.filter(
    (mention) =>
      !mentions.some(
        (other) =>
          other !== mention &&
          other.start <= mention.start &&
          other.end >= mention.end &&
          other.end - other.start > mention.end - mention.start,
      ),
  );
}

function gistOf(kb: KnowledgeBase, mention: Mention, licence: Licence | null): string {
  if (mention.kind === "term") {
    const summary = kb.terms.get(mention.id)?.summary ?? "";
    return summary.length > 140 ? `${summary.slice(0, 139).trimEnd()}…` : summary;
  }
  if (!licence) return "No licence recorded.";
  const commercial = VERDICT_WORD[clauseFact(licence, "commercial-use").verdict].toLowerCase();
  const name = licence.short_name ?? licence.name;
  if (mention.kind === "family") {
    const family = kb.families.get(mention.id);
    const summary = family ? familyTierSummary(family, kb.licences) : null;
    const tier = summary?.mixed ? "mixed by version" : TIER_WORDS[licence.tier];
    return `${tier}; newest release under ${name}; commercial use: ${commercial}`;
  }
  return `${name}: ${TIER_WORDS[licence.tier]}; commercial use: ${commercial}`;
}
