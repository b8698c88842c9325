import { createHash } from "node:crypto";
import type { DigestNews, DigestSelection, Spotlight } from "../answers/digest.ts";
import { siteCredit } from "../answers/site.ts";
import type { KnowledgeBase } from "../knowledge/types.ts";
import { entryUrl } from "../knowledge/urls.ts";

export type { DigestNews, DigestSelection, Spotlight } from "../answers/digest.ts";

export interface ShownEntry {
  entryId: string;
  localDate: string;
}

export interface SelectionInput {
  kb: KnowledgeBase;
  guildId: string;
  localDate: string;
  /** Entries shown in earlier digests of this server, oldest first. */
  shownTerms: readonly ShownEntry[];
  shownSpotlights: readonly ShownEntry[];
  /** The local date of the server's last posted digest, if any. */
  lastDigestDate: string | null;
  news: DigestNews | null;
}

/**
 * Picks the day's digest: deterministic for a server and its history, no entry repeated until
 * every entry has appeared once in the current cycle, and an entry updated since the last digest
 * may jump the queue (marked "updated").
 */
export function selectDigest(input: SelectionInput): DigestSelection | null {
  const { kb, guildId, localDate, lastDigestDate } = input;
  const terms = [...kb.terms.values()];
  const spotlights: { id: string; spotlight: Spotlight; updated: string | null }[] = [
    ...[...kb.families.values()]
      .filter((family) => family.inRegistry)
      .map((family) => ({
        id: `family:${family.id}`,
        spotlight: { kind: "family", family } as const,
        updated: family.checked,
      })),
    ...[...kb.licences.values()].map((licence) => ({
      id: `license:${licence.id}`,
      spotlight: { kind: "license", licence } as const,
      updated: licence.checked,
    })),
  ];
  const term = pickNext(
    terms.map((entry) => ({ id: entry.slug, updated: entry.updated })),
    input.shownTerms,
    `${guildId}|term`,
    lastDigestDate,
  );
  const spotlight = pickNext(spotlights, input.shownSpotlights, `${guildId}|spotlight`, lastDigestDate);
  if (!term || !spotlight) return null;
  const news = input.news && (!lastDigestDate || input.news.date > lastDigestDate) ? input.news : null;
  const picked = spotlights.find((entry) => entry.id === spotlight.id)!.spotlight;
  return {
    localDate,
    term: kb.terms.get(term.id)!,
    termUrl: entryUrl(kb, { kind: "term", id: term.id }),
    termUpdated: term.updated,
    spotlight: picked,
    spotlightUrl: entryUrl(
      kb,
      picked.kind === "family" ? { kind: "family", id: picked.family.id } : { kind: "license", id: picked.licence.id },
    ),
    spotlightUpdated: spotlight.updated,
    news,
    shown: [
      { kind: "term", entryId: term.id },
      { kind: "spotlight", entryId: spotlight.id },
    ],
    credit: siteCredit(kb),
  };
}

interface Candidate {
  id: string;
  updated: string | null;
}

function pickNext(
  candidates: readonly Candidate[],
  history: readonly ShownEntry[],
  seed: string,
  lastDigestDate: string | null,
): { id: string; updated: boolean } | null {
  if (candidates.length === 0) return null;
  const ids = new Set(candidates.map((candidate) => candidate.id));
  // Replay the history: a cycle ends when every current entry has been shown.
  let cycle = 0;
  let seen = new Set<string>();
  const shownAt = new Map<string, string>();
  for (const entry of history) {
    shownAt.set(entry.entryId, entry.localDate);
    if (!ids.has(entry.entryId)) continue;
    seen.add(entry.entryId);
    if (seen.size === ids.size) {
      cycle += 1;
      seen = new Set();
    }
  }
  const remaining = candidates.filter((candidate) => !seen.has(candidate.id));
  const order = (candidate: Candidate) => hash(`${seed}|${cycle}|${candidate.id}`);
  const byOrder = [...remaining].sort((a, b) => order(a).localeCompare(order(b)));
  const updated = lastDigestDate
    ? byOrder.find((candidate) => {
        if (!candidate.updated || candidate.updated <= lastDigestDate) return false;
        const last = shownAt.get(candidate.id);
        return !last || last < candidate.updated;
      })
    : undefined;
  const chosen = updated ?? byOrder[0]!;
  return { id: chosen.id, updated: chosen === updated };
}

function hash(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
