import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION } from "../src/store/migrations.ts";
import { PostgresStore, SqliteStore, type Store } from "../src/store/store.ts";
import { freshDatabase } from "./helpers/postgres.ts";
import { tempDataDir } from "./helpers/temp-dir.ts";

const GUILD = "100000000000000001";
const OTHER_GUILD = "100000000000000002";
const CHANNEL = "200000000000000001";
const FIXED_NOW = new Date("2026-11-28T08:00:00.000Z");

/** Each engine opens a store on its own empty database; the same behaviour is asserted of both. */
const engines: { name: string; open: (now?: () => Date) => Promise<{ open: () => Promise<Store> }> }[] = [
  {
    name: "SQLite",
    open: async (now = () => FIXED_NOW) => {
      const dir = tempDataDir();
      return { open: async () => SqliteStore.open(dir, { now }) };
    },
  },
  {
    name: "PostgreSQL",
    open: async (now = () => FIXED_NOW) => {
      const url = await freshDatabase();
      return { open: () => PostgresStore.open(url, { now }) };
    },
  },
];

describe.each(engines)("the store on $name", (engine) => {
  const opened: Store[] = [];
  let database: { open: () => Promise<Store> };
  async function openStore(): Promise<Store> {
    database ??= await engine.open();
    const store = await database.open();
    opened.push(store);
    return store;
  }
  beforeEach(() => {
    database = undefined as unknown as typeof database;
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  describe("digest settings", () => {
    it("upserts, turns off, disables with a reason and records errors", async () => {
      const store = await openStore();
      expect(await store.getDigest(GUILD)).toBeNull();

      await store.setDigest({ guildId: GUILD, channelId: CHANNEL, time: "09:00", timezone: "Europe/Berlin" });
      await store.setDigest({ guildId: OTHER_GUILD, channelId: CHANNEL, time: "10:00", timezone: "UTC" });
      expect((await store.listEnabledDigests()).map((digest) => digest.guildId)).toEqual([GUILD, OTHER_GUILD]);

      expect(await store.recordDigestError(GUILD, "Missing Access")).toBe(true);
      expect(await store.disableDigest(GUILD, "the channel was deleted")).toBe(true);
      expect(await store.getDigest(GUILD)).toMatchObject({
        enabled: false,
        disabledReason: "the channel was deleted",
        lastError: "Missing Access",
      });
      expect((await store.listEnabledDigests()).map((digest) => digest.guildId)).toEqual([OTHER_GUILD]);

      const again = await store.setDigest({ guildId: GUILD, channelId: "2", time: "06:15", timezone: "Asia/Tokyo" });
      expect(again).toEqual({
        guildId: GUILD,
        channelId: "2",
        time: "06:15",
        timezone: "Asia/Tokyo",
        enabled: true,
        disabledReason: null,
        lastError: null,
        updatedAt: FIXED_NOW.toISOString(),
      });

      expect(await store.turnOffDigest(GUILD)).toBe(true);
      expect(await store.getDigest(GUILD)).toMatchObject({ enabled: false, disabledReason: null });
      expect(await store.turnOffDigest("unknown")).toBe(false);
    });
  });

  describe("exactly-once slots", () => {
    it("claims once, hands the same nonce back until sent, then reports sent", async () => {
      const store = await openStore();
      expect(await store.claimSlot(GUILD, "2026-11-28", "nonce-a")).toEqual({ status: "claimed", nonce: "nonce-a" });
      expect(await store.claimSlot(GUILD, "2026-11-28", "nonce-b")).toEqual({
        status: "claimed-before",
        nonce: "nonce-a",
      });

      expect(await store.markSent(GUILD, "2026-11-28", "message-1")).toBe(true);
      expect(await store.claimSlot(GUILD, "2026-11-28", "nonce-c")).toEqual({ status: "sent", messageId: "message-1" });
      expect(await store.markSent(GUILD, "2026-11-28", "message-2")).toBe(false);
      expect(await store.markSkipped(GUILD, "2026-11-28", "too late")).toBe(false);
      expect(await store.getSlot(GUILD, "2026-11-28")).toEqual({
        guildId: GUILD,
        localDate: "2026-11-28",
        nonce: "nonce-a",
        state: "sent",
        messageId: "message-1",
        reason: null,
        claimedAt: FIXED_NOW.toISOString(),
        sentAt: FIXED_NOW.toISOString(),
      });
    });

    it("records skipped days, claimed or not", async () => {
      const store = await openStore();
      expect(await store.markSkipped(GUILD, "2026-11-27", "the bot was offline")).toBe(true);
      expect(await store.claimSlot(GUILD, "2026-11-27", "n")).toEqual({
        status: "skipped",
        reason: "the bot was offline",
      });

      await store.claimSlot(GUILD, "2026-11-28", "n2");
      expect(await store.markSkipped(GUILD, "2026-11-28", "nothing new")).toBe(true);
      expect(await store.getSlot(GUILD, "2026-11-28")).toMatchObject({
        state: "skipped",
        nonce: "n2",
        reason: "nothing new",
      });
      expect(await store.getSlot(GUILD, "2026-11-29")).toBeNull();
    });

    it("keeps slots per guild and finds the latest sent one", async () => {
      const store = await openStore();
      expect(await store.lastSentSlot(GUILD)).toBeNull();
      await store.claimSlot(GUILD, "2026-11-26", "a");
      await store.markSent(GUILD, "2026-11-26", "m26");
      await store.claimSlot(GUILD, "2026-11-27", "b");
      await store.markSent(GUILD, "2026-11-27", "m27");
      await store.claimSlot(GUILD, "2026-11-28", "c");
      await store.markSkipped(OTHER_GUILD, "2026-11-28", "other guild");
      expect((await store.claimSlot(OTHER_GUILD, "2026-11-27", "d")).status).toBe("claimed");
      expect(await store.lastSentSlot(GUILD)).toMatchObject({ localDate: "2026-11-27", messageId: "m27" });
    });
    it("records the sent message and the entries it showed as one change, once", async () => {
      const store = await openStore();
      await store.recordShown(GUILD, "term", "moe", "2026-11-20");
      await store.claimSlot(GUILD, "2026-11-28", "nonce-a");
      const shown = [
        { kind: "term", entryId: "moe" },
        { kind: "spotlight", entryId: "family:llama" },
      ];
      expect(await store.recordSent(GUILD, "2026-11-28", "message-1", shown)).toBe(true);
      expect(await store.getSlot(GUILD, "2026-11-28")).toMatchObject({ state: "sent", messageId: "message-1" });
      expect(await store.listShown(GUILD, "term")).toEqual([{ entryId: "moe", localDate: "2026-11-28" }]);
      expect(await store.listShown(GUILD, "spotlight")).toEqual([{ entryId: "family:llama", localDate: "2026-11-28" }]);

      // A second record of the day changes nothing: the first message and what it showed stand.
      expect(await store.recordSent(GUILD, "2026-11-28", "message-2", [{ kind: "term", entryId: "lora" }])).toBe(false);
      expect(await store.getSlot(GUILD, "2026-11-28")).toMatchObject({ messageId: "message-1" });
      expect(await store.listShown(GUILD, "term")).toEqual([{ entryId: "moe", localDate: "2026-11-28" }]);
    });

    it("leaves neither the sent mark nor the shown entries when recording them fails part way", async () => {
      const store = await openStore();
      await store.claimSlot(GUILD, "2026-11-28", "nonce-a");
      // An entry id the column cannot hold (NULL) fails the second statement, after the first succeeded.
      const broken = [
        { kind: "term", entryId: "moe" },
        { kind: "term", entryId: null as unknown as string },
      ];
      await expect(store.recordSent(GUILD, "2026-11-28", "message-1", broken)).rejects.toThrow();
      expect(await store.getSlot(GUILD, "2026-11-28")).toMatchObject({ state: "claimed", messageId: null });
      expect(await store.listShown(GUILD, "term")).toEqual([]);
    });
  });

  describe("a digest the bot cannot post", () => {
    it("is turned off and its day skipped, for one reason, in one change", async () => {
      const store = await openStore();
      await store.setDigest({ guildId: GUILD, channelId: CHANNEL, time: "09:00", timezone: "UTC" });
      await store.claimSlot(GUILD, "2026-11-28", "nonce-a");
      await store.disableDigestFrom(GUILD, "2026-11-28", "the channel is gone");
      expect(await store.getDigest(GUILD)).toMatchObject({ enabled: false, disabledReason: "the channel is gone" });
      expect(await store.getSlot(GUILD, "2026-11-28")).toMatchObject({
        state: "skipped",
        reason: "the channel is gone",
      });
    });
  });

  describe("shown entries", () => {
    it("lists the least recently shown first, per guild and kind", async () => {
      const store = await openStore();
      await store.recordShown(GUILD, "term", "moe", "2026-11-25");
      await store.recordShown(GUILD, "term", "lora", "2026-11-26");
      await store.recordShown(GUILD, "licence", "mit", "2026-11-26");
      await store.recordShown(OTHER_GUILD, "term", "rag", "2026-11-20");
      await store.recordShown(GUILD, "term", "moe", "2026-11-27");
      expect(await store.listShown(GUILD, "term")).toEqual([
        { entryId: "lora", localDate: "2026-11-26" },
        { entryId: "moe", localDate: "2026-11-27" },
      ]);
      expect(await store.listShown(GUILD, "family")).toEqual([]);
    });
  });

  describe("auto-answer", () => {
    it("adds, lists, checks and removes channels", async () => {
      const store = await openStore();
      await store.setAutoAnswer(GUILD, "c2");
      await store.setAutoAnswer(GUILD, "c1");
      await store.setAutoAnswer(GUILD, "c1");
      await store.setAutoAnswer(OTHER_GUILD, "c3");
      expect(await store.listAutoAnswerChannels(GUILD)).toEqual(["c1", "c2"]);
      expect(await store.isAutoAnswerChannel("c1")).toBe(true);
      expect(await store.isAutoAnswerChannel("c9")).toBe(false);

      expect(await store.removeAutoAnswer(GUILD, "c1")).toBe(1);
      expect(await store.removeAutoAnswer(GUILD, "c3")).toBe(0);
      expect(await store.removeAutoAnswer(GUILD)).toBe(1);
      expect(await store.listAutoAnswerChannels(GUILD)).toEqual([]);
      expect(await store.isAutoAnswerChannel("c3")).toBe(true);
    });

    it("claims a thread answer once, across reopening", async () => {
      const store = await openStore();
      expect(await store.claimThreadAnswer("thread-1", GUILD)).toBe(true);
      expect(await store.claimThreadAnswer("thread-1", GUILD)).toBe(false);
      expect(await store.claimThreadAnswer("thread-2", GUILD)).toBe(true);
      await store.close();
      expect(await (await openStore()).claimThreadAnswer("thread-1", GUILD)).toBe(false);
    });

    it("gaps: counts by what was missing, one vote per person and answer, text kept only as settled, purged after retention", async () => {
      const store = await openStore();
      const day = 86_400_000;
      const now = 100 * day;
      expect(await store.gaps.settings(GUILD)).toEqual({ keepText: false, retentionDays: 30 });
      await store.gaps.setSettings(GUILD, { keepText: true, retentionDays: 7 }, now);
      expect(await store.gaps.settings(GUILD)).toEqual({ keepText: true, retentionDays: 7 });
      const gap = { guildId: GUILD, kind: "unknown-name", contentVersion: "v1" };
      await store.gaps.record({
        ...gap,
        missing: "zorblax-13b",
        question: "is zorblax-13b apache?",
        at: now - 10 * day,
      });
      await store.gaps.record({ ...gap, missing: "zorblax-13b", question: null, at: now - day });
      await store.gaps.record({ ...gap, missing: "llama 3.3 8b", question: null, at: now - day });
      await store.gaps.record({ ...gap, guildId: "other", missing: "zorblax-13b", question: null, at: now - day });
      const top = await store.gaps.topGaps(GUILD, now - 30 * day, 10);
      expect(top[0]).toMatchObject({ kind: "unknown-name", missing: "zorblax-13b", count: 2, servers: 1 });
      expect(top[0]!.example).toBe("is zorblax-13b apache?");
      expect((await store.gaps.topGaps(null, now - 30 * day, 10))[0]).toMatchObject({ count: 3, servers: 2 });
      expect(await store.gaps.topGaps(GUILD, now - 2 * day, 10)).toHaveLength(2);

      const vote = {
        guildId: GUILD,
        messageId: "m1",
        voter: "hash-a",
        answerKind: "clause",
        entry: "license:llama-4#user-cap",
        reason: "wrong cap",
        question: null,
        contentVersion: "v1",
        at: now - 10 * day,
      };
      expect(await store.gaps.recordFeedback(vote)).toBe(true);
      expect(await store.gaps.recordFeedback({ ...vote, reason: "again" })).toBe(false);
      expect(await store.gaps.recordFeedback({ ...vote, voter: "hash-b", reason: null, at: now })).toBe(true);
      expect((await store.gaps.topWrong(GUILD, 0, 10))[0]).toMatchObject({ count: 2, reason: "wrong cap" });

      // Older than the server's 7 days: text goes, counts stay.
      expect(await store.gaps.purgeText(now)).toBe(2);
      expect((await store.gaps.topGaps(GUILD, 0, 10))[0]).toMatchObject({ count: 2, example: null });
      expect((await store.gaps.topWrong(GUILD, 0, 10))[0]).toMatchObject({ count: 2, reason: null });

      const salt = await store.gaps.salt("first");
      expect(await store.gaps.salt("second")).toBe(salt);
      expect(await store.gaps.forget(GUILD)).toBe(6);
      expect(await store.gaps.topGaps(GUILD, 0, 10)).toEqual([]);
      expect(await store.gaps.settings(GUILD)).toEqual({ keepText: false, retentionDays: 30 });
    });

    it("sees an interaction id once, across reopening, and forgets old ones", async () => {
      const store = await openStore();
      expect(await store.markInteractionSeen("111", 1_000)).toBe(true);
      expect(await store.markInteractionSeen("111", 2_000)).toBe(false);
      expect(await store.markInteractionSeen("222", 5_000)).toBe(true);
      await store.close();
      const reopened = await openStore();
      expect(await reopened.markInteractionSeen("111", 6_000)).toBe(false);
      await reopened.forgetInteractionsBefore(3_000);
      expect(await reopened.markInteractionSeen("111", 7_000)).toBe(true);
      expect(await reopened.markInteractionSeen("222", 7_000)).toBe(false);
    });
  });

  describe("feed state", () => {
    it("saves and replaces the state per URL", async () => {
      const store = await openStore();
      const url = "https://example.test/rss.xml";
      expect(await store.getFeedState(url)).toBeNull();
      await store.saveFeedState(url, { etag: '"v1"', lastModified: null, fetchedAt: 1, body: "<rss/>" });
      await store.saveFeedState(url, {
        etag: null,
        lastModified: "Sat, 28 Nov 2026 07:00:00 GMT",
        fetchedAt: 2,
        body: "b",
      });
      expect(await store.getFeedState(url)).toEqual({
        etag: null,
        lastModified: "Sat, 28 Nov 2026 07:00:00 GMT",
        fetchedAt: 2,
        body: "b",
      });
    });
  });

  describe("forgetGuild", () => {
    it("deletes every row of the guild and nothing else", async () => {
      const store = await openStore();
      for (const guildId of [GUILD, OTHER_GUILD]) {
        await store.setDigest({ guildId, channelId: CHANNEL, time: "09:00", timezone: "UTC" });
        await store.claimSlot(guildId, "2026-11-28", "n");
        await store.recordShown(guildId, "term", "moe", "2026-11-28");
        await store.setAutoAnswer(guildId, `channel-${guildId}`);
        await store.claimThreadAnswer(`thread-${guildId}`, guildId);
      }
      await store.saveFeedState("https://example.test/rss.xml", {
        etag: null,
        lastModified: null,
        fetchedAt: 1,
        body: "",
      });

      expect(await store.forgetGuild(GUILD)).toBe(5);

      expect(await store.getDigest(GUILD)).toBeNull();
      expect(await store.getSlot(GUILD, "2026-11-28")).toBeNull();
      expect(await store.listShown(GUILD, "term")).toEqual([]);
      expect(await store.listAutoAnswerChannels(GUILD)).toEqual([]);
      expect(await store.claimThreadAnswer(`thread-${GUILD}`, GUILD)).toBe(true);

      expect(await store.getDigest(OTHER_GUILD)).not.toBeNull();
      expect(await store.getSlot(OTHER_GUILD, "2026-11-28")).not.toBeNull();
      expect(await store.listShown(OTHER_GUILD, "term")).toHaveLength(1);
      expect(await store.listAutoAnswerChannels(OTHER_GUILD)).toHaveLength(1);
      expect(await store.claimThreadAnswer(`thread-${OTHER_GUILD}`, OTHER_GUILD)).toBe(false);
      expect(await store.getFeedState("https://example.test/rss.xml")).not.toBeNull();
    });
  });

  describe("claims shared by several instances", () => {
    it("a claim inside its lease is in progress elsewhere; a stale one is taken over by exactly one caller", async () => {
      let now = FIXED_NOW.getTime();
      database = await engine.open(() => new Date(now));
      const [first, second, third] = [await openStore(), await openStore(), await openStore()];
      expect(await first.claimSlot(GUILD, "2026-11-28", "nonce-a", 20_000)).toEqual({
        status: "claimed",
        nonce: "nonce-a",
      });
      now += 5_000;
      expect(await second.claimSlot(GUILD, "2026-11-28", "nonce-b", 20_000)).toEqual({
        status: "in-progress",
        claimedAt: FIXED_NOW.toISOString(),
      });
      now += 20_000;
      const racing = await Promise.all([
        second.claimSlot(GUILD, "2026-11-28", "nonce-b", 20_000),
        third.claimSlot(GUILD, "2026-11-28", "nonce-c", 20_000),
      ]);
      expect(racing.map((claim) => claim.status).sort()).toEqual(["claimed-before", "in-progress"]);
      expect(racing.find((claim) => claim.status === "claimed-before")).toEqual({
        status: "claimed-before",
        nonce: "nonce-a",
      });
      await second.markSent(GUILD, "2026-11-28", "message-1");
      expect(await first.claimSlot(GUILD, "2026-11-28", "nonce-d", 20_000)).toEqual({
        status: "sent",
        messageId: "message-1",
      });
    });

    it("a week's gaps report: claimed once, a stale claim taken over by one caller with its nonce, then sent", async () => {
      const [first, second, third] = [await openStore(), await openStore(), await openStore()];
      const week = "2026-11-30";
      const at = FIXED_NOW.getTime();
      await first.gaps.setReportChannel(GUILD, CHANNEL, at);
      expect(await second.gaps.reportChannels()).toEqual([{ guildId: GUILD, channelId: CHANNEL, since: at }]);
      expect(await first.gaps.claimReport(GUILD, week, "g-a", at, 60_000)).toEqual({ status: "claimed", nonce: "g-a" });
      expect(await second.gaps.claimReport(GUILD, week, "g-b", at + 5_000, 60_000)).toEqual({
        status: "in-progress",
        nonce: "g-a",
      });
      const racing = await Promise.all([
        second.gaps.claimReport(GUILD, week, "g-b", at + 61_000, 60_000),
        third.gaps.claimReport(GUILD, week, "g-c", at + 61_000, 60_000),
      ]);
      expect(racing.map((claim) => claim.status).sort()).toEqual(["claimed-before", "in-progress"]);
      expect(racing.find((claim) => claim.status === "claimed-before")?.nonce).toBe("g-a");
      await third.gaps.markReportSent(GUILD, week, "message-1", at + 62_000);
      expect(await first.gaps.claimReport(GUILD, week, "g-d", at + 999_000, 60_000)).toEqual({
        status: "sent",
        nonce: "g-a",
      });
      expect(await first.gaps.reportFor(GUILD, week)).toEqual({ messageId: "message-1", sentAt: at + 62_000 });
      // Keeping text or not leaves the report channel alone; turning the report off does.
      await first.gaps.setSettings(GUILD, { keepText: true, retentionDays: 7 }, at);
      expect(await first.gaps.reportChannel(GUILD)).toBe(CHANNEL);
      await first.gaps.setReportChannel(GUILD, null, at);
      expect(await first.gaps.reportChannels()).toEqual([]);
      expect(await first.gaps.settings(GUILD)).toEqual({ keepText: true, retentionDays: 7 });
      await first.gaps.forget(GUILD);
      expect(await first.gaps.reportFor(GUILD, week)).toBeNull();
    });

    it("many instances racing for many days: each day is claimed once", async () => {
      const stores = [await openStore(), await openStore(), await openStore()];
      const days = Array.from({ length: 30 }, (_, index) => `2026-12-${String(index + 1).padStart(2, "0")}`);
      const claims = await Promise.all(
        days.flatMap((day) => stores.map((store, index) => store.claimSlot(GUILD, day, `${day}-${index}`, 60_000))),
      );
      const won = claims.filter((claim) => claim.status === "claimed");
      expect(won).toHaveLength(days.length);
      expect(claims.filter((claim) => claim.status === "in-progress")).toHaveLength(days.length * 2);
    });

    it("a thread is answered by one instance however many race for it", async () => {
      const stores = [await openStore(), await openStore()];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => stores[index % 2]!.claimThreadAnswer("thread-9", GUILD)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("a feed is fetched once per interval between instances", async () => {
      const [first, second] = [await openStore(), await openStore()];
      const url = "https://example.test/rss.xml";
      const at = FIXED_NOW.getTime();
      const racing = await Promise.all([first.claimFeedFetch(url, at, 60_000), second.claimFeedFetch(url, at, 60_000)]);
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect(await second.claimFeedFetch(url, at + 30_000, 60_000)).toBe(false);
      expect(await second.claimFeedFetch(url, at + 61_000, 60_000)).toBe(true);
      // A clock set back does not lock the feed until it catches up.
      expect(await first.claimFeedFetch(url, at, 60_000)).toBe(true);
    });
  });

  it("holds back a repeated answer in a channel for the window, whichever instance is asked", async () => {
    const [first, second] = [await openStore(), await openStore()];
    const at = FIXED_NOW.getTime();
    const racing = await Promise.all([
      first.claimAnswer(CHANNEL, "term:lora", at, 30_000),
      second.claimAnswer(CHANNEL, "term:lora", at, 30_000),
    ]);
    expect(racing).toContainEqual({ status: "claimed" });
    expect(racing).toContainEqual({ status: "posted", messageId: null, interactionToken: null });
    await first.settleAnswer(CHANNEL, "term:lora", { messageId: "m-1", interactionToken: "token-1" });
    expect(await second.claimAnswer(CHANNEL, "term:lora", at + 1_000, 30_000)).toEqual({
      status: "posted",
      messageId: "m-1",
      interactionToken: "token-1",
    });
    expect(await second.claimAnswer("other-channel", "term:lora", at, 30_000)).toEqual({ status: "claimed" });
    expect(await second.claimAnswer(CHANNEL, "term:lora", at + 31_000, 30_000)).toEqual({ status: "claimed" });
    await second.releaseAnswer(CHANNEL, "term:lora");
    expect(await first.claimAnswer(CHANNEL, "term:lora", at + 32_000, 30_000)).toEqual({ status: "claimed" });
    await first.forgetAnswersBefore(at + 40_000);
    expect(await first.claimAnswer(CHANNEL, "term:lora", at + 33_000, 30_000)).toEqual({ status: "claimed" });
  });

  it("reports its schema version and answers a ping", async () => {
    const store = await openStore();
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.ping()).toEqual({ ok: true });
  });
});
