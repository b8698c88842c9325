import { describe, expect, it } from "vitest";
import { type ShownEntry, selectDigest } from "../src/digest/select.ts";
import { renderDigest } from "../src/payloads/render/digest.ts";
import { reply } from "../src/payloads/reply.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const { kb } = bundledKnowledge();

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Runs the digest for `days` days as the scheduler would, recording what was shown. */
function simulate(guildId: string, days: number, start = "2027-01-01") {
  const shownTerms: ShownEntry[] = [];
  const shownSpotlights: ShownEntry[] = [];
  const picks: { term: string; spotlight: string }[] = [];
  let last: string | null = null;
  for (let day = 0; day < days; day++) {
    const localDate = addDays(start, day);
    const selection = selectDigest({
      kb,
      guildId,
      localDate,
      shownTerms,
      shownSpotlights,
      lastDigestDate: last,
      news: null,
    })!;
    for (const shown of selection.shown) {
      (shown.kind === "term" ? shownTerms : shownSpotlights).push({ entryId: shown.entryId, localDate });
    }
    picks.push({ term: selection.term.slug, spotlight: selection.shown[1]!.entryId });
    last = localDate;
  }
  return picks;
}

describe("digest selection", () => {
  it("is deterministic for a server and its history", () => {
    expect(simulate("111111111111111111", 30)).toEqual(simulate("111111111111111111", 30));
  });

  it("differs between servers", () => {
    expect(simulate("111111111111111111", 10)).not.toEqual(simulate("222222222222222222", 10));
  });

  it("does not repeat a term until every term has appeared once", () => {
    const termCount = kb.terms.size;
    const picks = simulate("333333333333333333", termCount * 2 + 5).map((pick) => pick.term);
    const firstCycle = picks.slice(0, termCount);
    expect(new Set(firstCycle).size).toBe(termCount);
    const secondCycle = picks.slice(termCount, termCount * 2);
    expect(new Set(secondCycle).size).toBe(termCount);
  });

  it("does not repeat a spotlight until every family and licence has appeared once", () => {
    const spotlightCount = [...kb.families.values()].filter((family) => family.inRegistry).length + kb.licences.size;
    const picks = simulate("444444444444444444", spotlightCount + 3).map((pick) => pick.spotlight);
    expect(new Set(picks.slice(0, spotlightCount)).size).toBe(spotlightCount);
  });

  it("spotlights an entry updated since the last digest, marked updated", () => {
    const selection = selectDigest({
      kb,
      guildId: "555555555555555555",
      localDate: "2026-11-28",
      shownTerms: [],
      shownSpotlights: [],
      lastDigestDate: "2026-11-20",
      news: null,
    })!;
    expect(selection.termUpdated).toBe(true);
    expect((selection.term.updated ?? "") > "2026-11-20").toBe(true);
  });

  it("includes the newest news issue when it is new since the last digest", () => {
    const news = {
      date: "2026-11-27",
      title: "Daily roundup",
      summary: "x".repeat(1000),
      link: "https://www.open-source-ai.tech/news/2026-11-27",
    };
    const fresh = selectDigest({
      kb,
      guildId: "1",
      localDate: "2026-11-28",
      shownTerms: [],
      shownSpotlights: [],
      lastDigestDate: "2026-11-26",
      news,
    });
    expect(fresh?.news?.date).toBe("2026-11-27");
    const stale = selectDigest({
      kb,
      guildId: "1",
      localDate: "2026-11-28",
      shownTerms: [],
      shownSpotlights: [],
      lastDigestDate: "2026-11-27",
      news,
    });
    expect(stale?.news).toBeNull();
    const payload = reply(renderDigest(fresh!));
    expect(payload.embeds).toHaveLength(3);
    expect(payload.embeds![2]!.description!.length).toBeLessThanOrEqual(351);
    expect(payload.allowed_mentions.parse).toEqual([]);
  });
});
