import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { SqliteStore } from "../../src/store/store.ts";
import { FakeDiscord, ids, option, Permission } from "../fake-discord/index.ts";
import { callbackData, startHarness, TEST_TOKEN } from "../helpers/bot-harness.ts";
import { clockAt, clockStandingAt, digestMessages, FAST_RETRY, postAsBot } from "../helpers/digest.ts";
import { tempDataDir } from "../helpers/temp-dir.ts";

describe("the daily digest", () => {
  it("arrives at the set local time, once, with a nonce Discord enforces", async () => {
    // 09:00 in Berlin is 08:00 UTC in December; the clock starts 3 s before.
    const clock = clockStandingAt("2026-12-01T07:59:57Z");
    const { fake } = await startHarness({ digest: { clock, retry: FAST_RETRY } });
    const set = fake.chatInput(
      "digest",
      { channel: option.channel(ids.textChannel), time: "09:00", timezone: "Europe/Berlin" },
      { userId: ids.admin, subcommand: "set" },
    );
    expect((await callbackData(fake, set.id)).data?.content).toMatch(
      /Daily digest set[\s\S]*2026-12-01 09:00 \(Europe\/Berlin\)/,
    );
    clock.start();
    const post = await fake.waitForRequest<{ nonce: string; enforce_nonce: boolean; content: string }>(
      { method: "POST", path: `/channels/${ids.textChannel}/messages` },
      8000,
    );
    expect(post.body.enforce_nonce).toBe(true);
    expect(post.body.nonce.length).toBeLessThanOrEqual(25);
    expect(post.body.content).toBe("**Daily digest** · 2026-12-01");
    expect(digestMessages(fake)).toHaveLength(1);
    // The day is marked sent once Discord's reply reaches the bot, a moment after the request.
    await vi.waitFor(
      async () => {
        const status = await callbackData(
          fake,
          fake.chatInput("digest", {}, { userId: ids.admin, subcommand: "status" }).id,
        );
        expect(status.data?.content).toContain("**Last post:** 2026-12-01 (https://discord.com/channels/");
        expect(status.data?.content).toContain("**Next post:** 2026-12-02 09:00 (Europe/Berlin)");
      },
      { timeout: 4800, interval: 600 },
    );
  });

  it("killed after the message reached Discord but before it was recorded: a restart gives exactly one message", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir);
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    const claim = await store.claimSlot(ids.guild, "2026-12-01", "d20261201crashtest");
    await store.close();
    expect(claim.status).toBe("claimed");
    // The first run's send got through before the crash.
    const first = await fetch(`${fake.apiBase}/v10/channels/${ids.textChannel}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bot ${TEST_TOKEN}` },
      body: JSON.stringify({
        content: "**Daily digest** · 2026-12-01",
        nonce: "d20261201crashtest",
        enforce_nonce: true,
      }),
    }).then((response) => response.json() as Promise<{ id: string }>);

    const { store: reopened } = await startHarness({
      existingFake: fake,
      dataDir,
      digest: { clock: clockAt("2026-12-01T09:10:00Z"), retry: FAST_RETRY },
    });
    await expect
      .poll(async () => (await reopened.getSlot(ids.guild, "2026-12-01"))?.state, { timeout: 5000 })
      .toBe("sent");
    expect(digestMessages(fake)).toHaveLength(1);
    expect((await reopened.getSlot(ids.guild, "2026-12-01"))?.messageId).toBe(first.id);
  });

  it("restarted after Discord has forgotten the nonce: the bot finds its own message and posts nothing", async () => {
    const fake = await FakeDiscord.start({ nonceWindowMs: 50 });
    onTestFinished(() => fake.stop());
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir);
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    await store.claimSlot(ids.guild, "2026-12-01", "d20261201longoutage");
    await store.close();
    const first = await postAsBot(fake, "**Daily digest** · 2026-12-01", "d20261201longoutage");
    await new Promise((resolve) => setTimeout(resolve, 100));

    const {
      store: reopened,
      fake: same,
      logs,
    } = await startHarness({
      existingFake: fake,
      dataDir,
      digest: { clock: clockAt("2026-12-01T09:10:00Z"), retry: FAST_RETRY },
    });
    await expect
      .poll(async () => (await reopened.getSlot(ids.guild, "2026-12-01"))?.state, { timeout: 5000 })
      .toBe("sent");
    expect((await reopened.getSlot(ids.guild, "2026-12-01"))?.messageId).toBe(first.id);
    expect(digestMessages(same)).toHaveLength(1);
    expect(logs.find((line) => line.msg === "digest found already posted; recorded it")).toBeTruthy();
  });

  it("when the channel's history cannot be read, nothing is posted twice and /digest status says why", async () => {
    const fake = await FakeDiscord.start({
      nonceWindowMs: 50,
      permissionOverwrites: [{ channelId: ids.textChannel, deny: Permission.ReadMessageHistory }],
    });
    onTestFinished(() => fake.stop());
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir);
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    await store.claimSlot(ids.guild, "2026-12-01", "d20261201nohistory");
    await store.close();
    await postAsBot(fake, "**Daily digest** · 2026-12-01", "d20261201nohistory");
    await new Promise((resolve) => setTimeout(resolve, 100));

    const { fake: same } = await startHarness({
      existingFake: fake,
      dataDir,
      digest: { clock: clockAt("2026-12-01T09:10:00Z"), retry: FAST_RETRY },
    });
    await vi.waitFor(
      async () => {
        const status = await callbackData(
          same,
          same.chatInput("digest", {}, { userId: ids.admin, subcommand: "status" }).id,
        );
        expect(status.data?.content).toMatch(
          /could not check .* history .* did not post it again; give me \*\*Read Message History\*\*/,
        );
      },
      { timeout: 4800, interval: 600 },
    );
    expect(digestMessages(same)).toHaveLength(1);
  });

  it("killed after the claim but before the send: a restart within the grace window posts it once", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir);
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    await store.claimSlot(ids.guild, "2026-12-01", "d20261201beforesend");
    await store.close();
    await startHarness({
      existingFake: fake,
      dataDir,
      digest: { clock: clockAt("2026-12-01T11:00:00Z"), retry: FAST_RETRY },
    });
    await expect.poll(() => digestMessages(fake).length, { timeout: 5000 }).toBe(1);
    const sent = fake.requests.filter(
      (request) => request.method === "POST" && request.path === `/channels/${ids.textChannel}/messages`,
    );
    expect((sent[0]!.body as { nonce: string }).nonce).toBe("d20261201beforesend");
  });

  it("a post missed by more than the grace window is skipped and recorded", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const dataDir = tempDataDir();
    // Set the day before, so the 09:00 post was due while the bot was down.
    const store = SqliteStore.open(dataDir, { now: () => new Date("2026-11-30T12:00:00Z") });
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    await store.close();
    const { store: reopened } = await startHarness({
      existingFake: fake,
      dataDir,
      digest: { clock: clockAt("2026-12-01T16:00:00Z") },
    });
    expect(await reopened.getSlot(ids.guild, "2026-12-01")).toMatchObject({
      state: "skipped",
      reason: expect.stringContaining("offline"),
    });
    expect(digestMessages(fake)).toHaveLength(0);
  });

  it("a digest set after today's time had passed is not recorded or warned about as skipped", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir, { now: () => new Date("2026-12-01T14:00:00Z") });
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    await store.close();
    const { store: reopened, logs } = await startHarness({
      existingFake: fake,
      dataDir,
      digest: { clock: clockAt("2026-12-01T16:00:00Z") },
    });
    expect(await reopened.getSlot(ids.guild, "2026-12-01")).toBeNull();
    expect(logs.raw.some((line) => line.includes("digest skipped"))).toBe(false);
  });

  it("a 429 on the send gives one message after the retry", async () => {
    const { fake, bot, store } = await startHarness({ digest: { retry: FAST_RETRY } });
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    fake.failNext({ method: "POST", path: `/channels/${ids.textChannel}/messages`, status: 429, retryAfter: 0.2 });
    expect(await bot.digest.post(ids.guild, "2026-12-02")).toBe("sent");
    expect(digestMessages(fake)).toHaveLength(1);
    const attempts = fake.requests.filter(
      (request) => request.method === "POST" && request.path === `/channels/${ids.textChannel}/messages`,
    );
    expect(attempts.map((request) => request.status)).toEqual([429, 200]);
  });

  it("a 5xx is retried with backoff; one message", async () => {
    const { fake, bot, store } = await startHarness({ digest: { retry: FAST_RETRY } });
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    fake.failNext({ method: "POST", path: `/channels/${ids.textChannel}/messages`, status: 502, times: 2 });
    expect(await bot.digest.post(ids.guild, "2026-12-03")).toBe("sent");
    expect(digestMessages(fake)).toHaveLength(1);
  });

  it("a deleted channel disables the digest with the reason, and /digest status shows it", async () => {
    const { fake, bot, store } = await startHarness({ digest: { retry: FAST_RETRY } });
    await store.setDigest({ guildId: ids.guild, channelId: ids.announcementChannel, time: "09:00", timezone: "UTC" });
    fake.channelDelete(ids.announcementChannel);
    expect(await bot.digest.post(ids.guild, "2026-12-04")).toBe("disabled");
    expect(await store.getDigest(ids.guild)).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining("no longer exists"),
    });
    const status = await callbackData(
      fake,
      fake.chatInput("digest", {}, { userId: ids.admin, subcommand: "status" }).id,
    );
    expect(status.data?.content).toContain("**Disabled:**");
    expect(status.data?.content).toContain("no longer exists");
  });

  it("/digest set without Manage Server is refused", async () => {
    const { fake, store } = await startHarness();
    const body = await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.textChannel), time: "09:00" },
        { userId: ids.user, subcommand: "set" },
      ).id,
    );
    expect(body.data?.flags).toBe(64);
    expect(body.data?.content).toContain("Manage Server");
    expect(await store.getDigest(ids.guild)).toBeNull();
  });

  it("/digest set names the permission the bot lacks in the channel", async () => {
    const { fake } = await startHarness({
      fake: { permissionOverwrites: [{ channelId: ids.announcementChannel, deny: Permission.EmbedLinks }] },
    });
    const body = await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.announcementChannel), time: "09:00" },
        { userId: ids.admin, subcommand: "set" },
      ).id,
    );
    expect(body.data?.content).toContain("missing **Embed Links**");
  });

  it("/digest set rejects a bad time and an unknown timezone in plain words", async () => {
    const { fake } = await startHarness();
    const badTime = await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.textChannel), time: "25:00" },
        { userId: ids.admin, subcommand: "set" },
      ).id,
    );
    expect(badTime.data?.content).toContain('"25:00" is not a time');
    const badZone = await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.textChannel), time: "09:00", timezone: "Mars/Olympus" },
        { userId: ids.admin, subcommand: "set" },
      ).id,
    );
    expect(badZone.data?.content).toContain("not a timezone I know");
    const zones = await callbackData(
      fake,
      fake.autocomplete("digest", { timezone: "berl" }, { userId: ids.admin, subcommand: "set" }).id,
    );
    expect(zones.data?.choices[0].value).toBe("Europe/Berlin");
  });

  it("leaving a server removes its settings", async () => {
    const { fake, store } = await startHarness();
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    await store.setAutoAnswer(ids.guild, ids.forum);
    fake.guildDelete(ids.guild);
    await expect.poll(() => store.getDigest(ids.guild), { timeout: 3000 }).toBeNull();
    expect(await store.listAutoAnswerChannels(ids.guild)).toEqual([]);
  });
});

describe("news in the digest, from a feed on 127.0.0.1", () => {
  async function feedServer(handler: (respond: (status: number, body: string) => void) => void): Promise<string> {
    const server: Server = createServer((_request, response) =>
      handler((status, body) => response.writeHead(status, { "content-type": "application/rss+xml" }).end(body)),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/rss/news.xml`;
  }

  const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
    <item><title>Daily roundup 2026-11-30</title><link>https://www.open-source-ai.tech/news/2026-11-30</link>
    <description>A quiet day for licences; two new quantised releases.</description><pubDate>Mon, 30 Nov 2026 06:00:00 GMT</pubDate></item>
  </channel></rss>`;

  async function previewWith(url: string) {
    const { fake, store } = await startHarness({
      config: { NEWS_FEED_URL: url },
      digest: { feedTimeoutMs: 300, clock: clockAt("2026-12-01T12:00:00Z") },
    });
    await store.setDigest({ guildId: ids.guild, channelId: ids.textChannel, time: "09:00", timezone: "UTC" });
    const { id } = fake.chatInput("digest", {}, { userId: ids.admin, subcommand: "preview" });
    expect(await callbackData(fake, id)).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForRequest({ method: "PATCH", path: /@original$/ });
    return edit.body as { flags: number; embeds: { title: string; url?: string }[] };
  }

  it("a valid feed puts its newest issue in the digest", async () => {
    const preview = await previewWith(await feedServer((respond) => respond(200, RSS)));
    expect(preview.embeds.at(-1)).toMatchObject({ url: "https://www.open-source-ai.tech/news/2026-11-30" });
  });

  it("a malformed feed: the digest goes out without news", async () => {
    const preview = await previewWith(await feedServer((respond) => respond(200, "<rss><channel><item>broken")));
    expect(preview.embeds).toHaveLength(2);
  });

  it("a feed that never answers: the digest goes out without news", async () => {
    const preview = await previewWith(await feedServer(() => {}));
    expect(preview.embeds).toHaveLength(2);
  });
});

describe("answers on new forum posts", () => {
  it("a new post gets one answer; a second event for the same thread gets none", async () => {
    const { fake } = await startHarness();
    const set = await callbackData(
      fake,
      fake.chatInput("autoanswer", { channel: option.channel(ids.forum) }, { userId: ids.admin, subcommand: "set" }).id,
    );
    expect(set.data?.content).toContain(`<#${ids.forum}>`);
    const thread = fake.threadCreate({ name: "Can I use Llama 3.1 in a commercial product?", parentId: ids.forum });
    await expect.poll(() => fake.messagesIn(thread.id).length, { timeout: 5000 }).toBe(1);
    const answer = fake.messagesIn(thread.id)[0]!;
    expect(answer.content).toMatch(/^These may help:/);
    expect(answer.content).toContain("Llama 3.1");
    expect(answer.content.split("\n").length - 1).toBeLessThanOrEqual(3);
    fake.dispatch("THREAD_CREATE", { ...thread, newly_created: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.messagesIn(thread.id)).toHaveLength(1);
  });

  it("stays silent when nothing matches well, and for posts made by bots", async () => {
    const otherBot = "900000000000000009";
    const { fake, store } = await startHarness({
      fake: { users: [{ id: otherBot, username: "otherbot", bot: true }] },
    });
    await store.setAutoAnswer(ids.guild, ids.forum);
    const vague = fake.threadCreate({ name: "what's the best pizza topping", parentId: ids.forum });
    const byBot = fake.threadCreate({ name: "Llama 3.1 licence question", parentId: ids.forum, ownerId: otherBot });
    const elsewhere = fake.threadCreate({ name: "Llama 3.1 licence question", parentId: ids.textChannel });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(fake.messagesIn(vague.id)).toHaveLength(0);
    expect(fake.messagesIn(byBot.id)).toHaveLength(0);
    expect(fake.messagesIn(elsewhere.id)).toHaveLength(0);
  });
});
