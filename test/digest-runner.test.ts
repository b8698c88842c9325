import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DigestRunner } from "../src/digest/runner.ts";
import { SqliteStore } from "../src/store/store.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe("the digest scheduler, on an injected clock", () => {
  let dir: string;
  let store: SqliteStore;
  let sent: { channelId: string; at: string; content: string | undefined }[];
  let runner: DigestRunner;

  function start(nowIso: string) {
    vi.useFakeTimers({ now: Date.parse(nowIso), toFake: ["setTimeout", "clearTimeout", "Date"] });
    runner = new DigestRunner({
      store,
      knowledge: bundledKnowledge,
      news: async () => null,
      logger: quiet,
      retry: { attempts: 2, baseDelayMs: 10 },
      send: async (channelId, payload) => {
        sent.push({ channelId, at: new Date().toISOString(), content: payload.content });
        return { id: String(100000000000000000n + BigInt(sent.length)) };
      },
    });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "stackbot-runner-"));
    store = SqliteStore.open(dir);
    sent = [];
  });
  afterEach(async () => {
    await runner?.stop();
    vi.useRealTimers();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function advanceDays(days: number) {
    for (let hour = 0; hour < days * 24; hour++) await vi.advanceTimersByTimeAsync(3_600_000);
  }

  it.each([
    // New York: EST -> EDT on 2026-03-08, EDT -> EST on 2026-11-01.
    [
      "America/New_York",
      "09:00",
      "2026-03-06T21:00:00Z",
      ["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"],
    ],
    [
      "America/New_York",
      "09:00",
      "2026-10-30T21:00:00Z",
      ["2026-10-31T13:00:00.000Z", "2026-11-01T14:00:00.000Z", "2026-11-02T14:00:00.000Z"],
    ],
    // Berlin: CET -> CEST on 2026-03-29, CEST -> CET on 2026-10-25.
    [
      "Europe/Berlin",
      "09:00",
      "2026-03-27T20:00:00Z",
      ["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"],
    ],
    [
      "Europe/Berlin",
      "09:00",
      "2026-10-23T20:00:00Z",
      ["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"],
    ],
    // Midnight edges: the local date of a 00:00 post is the new day.
    [
      "Europe/Berlin",
      "00:00",
      "2026-06-30T20:00:00Z",
      ["2026-06-30T22:00:00.000Z", "2026-07-01T22:00:00.000Z", "2026-07-02T22:00:00.000Z"],
    ],
    [
      "America/New_York",
      "23:59",
      "2026-06-30T12:00:00Z",
      ["2026-07-01T03:59:00.000Z", "2026-07-02T03:59:00.000Z", "2026-07-03T03:59:00.000Z"],
    ],
  ])("%s %s from %s posts once a day at the local time across the change", async (timezone, time, from, expected) => {
    start(from);
    await store.setDigest({ guildId: "1", channelId: "10", time, timezone });
    await runner.start();
    await advanceDays(3);
    expect(sent.map((post) => post.at)).toEqual(expected);
    expect(new Set(sent.map((post) => post.content)).size).toBe(3);
  });

  it("02:30 on the spring-forward day (a time that does not exist) still posts once that day", async () => {
    start("2026-03-28T12:00:00Z");
    await store.setDigest({ guildId: "1", channelId: "10", time: "02:30", timezone: "Europe/Berlin" });
    await runner.start();
    await advanceDays(2);
    expect(sent.map((post) => post.content)).toEqual([
      "**Daily digest** · 2026-03-29",
      "**Daily digest** · 2026-03-30",
    ]);
  });

  it("01:30 on the fall-back day (a time that happens twice) posts once", async () => {
    start("2026-10-31T12:00:00Z");
    await store.setDigest({ guildId: "1", channelId: "10", time: "01:30", timezone: "America/New_York" });
    await runner.start();
    await advanceDays(2);
    expect(sent.map((post) => post.content)).toEqual([
      "**Daily digest** · 2026-11-01",
      "**Daily digest** · 2026-11-02",
    ]);
  });

  it("two servers in two timezones each get their own post", async () => {
    start("2026-11-30T23:30:00Z");
    await store.setDigest({ guildId: "1", channelId: "10", time: "09:00", timezone: "Asia/Tokyo" });
    await store.setDigest({ guildId: "2", channelId: "20", time: "09:00", timezone: "America/Los_Angeles" });
    await runner.start();
    await advanceDays(1);
    expect(sent.map((post) => [post.channelId, post.at])).toEqual([
      ["10", "2026-12-01T00:00:00.000Z"],
      ["20", "2026-12-01T17:00:00.000Z"],
    ]);
  });

  it("a restart the same day does not post again", async () => {
    start("2026-12-01T08:59:00Z");
    await store.setDigest({ guildId: "1", channelId: "10", time: "09:00", timezone: "UTC" });
    await runner.start();
    await vi.advanceTimersByTimeAsync(120_000);
    await runner.stop();
    await runner.start();
    await runner.post("1", "2026-12-01");
    expect(sent).toHaveLength(1);
  });
});
