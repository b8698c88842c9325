/**
 * Gateway sharding with discord.js's internal sharding: one process opens one connection per shard,
 * and Discord sends each guild's events to exactly one of them, `(guild_id >> 22) % count`.
 * The fixture guild lands on shard 2 of 3 (0 of 2); the guilds added here fill the other shards.
 */
import { describe, expect, it } from "vitest";
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  type GatewayFrameRecord,
  ids,
  option,
  shardOf,
} from "../fake-discord/index.ts";
import { callbackData, startHarness } from "../helpers/bot-harness.ts";
import { clockStandingAt, digestMessages, FAST_RETRY } from "../helpers/digest.ts";

const REPLY = 4;
const IDENTIFY = 2;
const RESUME = 6;

/** Guild ids chosen for where they land: [id, shard of 3, shard of 2]. */
const guildA = "820627321651331072"; // shard 0 of 3, 0 of 2
const guildB = "820627321655525376"; // shard 1 of 3, 1 of 2
const channelA = "820627400000000001";
const channelB = "820627400000000002";

/** Every guild with the text channel the test talks in. */
const guilds = [
  { guildId: ids.guild, channelId: ids.textChannel },
  { guildId: guildA, channelId: channelA },
  { guildId: guildB, channelId: channelB },
] as const;

const fakeOptions = (shards: number): FakeDiscordOptions => ({
  shards,
  guilds: [
    { id: guildA, name: "shard-a" },
    { id: guildB, name: "shard-b" },
  ],
  channels: [
    { id: channelA, guildId: guildA, name: "general" },
    { id: channelB, guildId: guildB, name: "general" },
  ],
});

function sent(fake: FakeDiscord, event: string, matches: (frame: GatewayFrameRecord) => boolean = () => true) {
  return fake.gatewayFrames.filter((frame) => frame.direction === "sent" && frame.t === event && matches(frame));
}

function field(frame: GatewayFrameRecord, name: string): unknown {
  return (frame.d as Record<string, unknown>)[name];
}

/** The IDENTIFY frames the client sent, as their `shard` pairs, in shard order. */
function identifiedShards(fake: FakeDiscord): unknown[] {
  return fake.gatewayFrames
    .filter((frame) => frame.direction === "received" && frame.op === IDENTIFY)
    .map((frame) => field(frame, "shard"))
    .sort((a, b) => (a as number[])[0]! - (b as number[])[0]!);
}

/** `/help` in each guild: answered once, and its INTERACTION_CREATE went to that guild's shard only. */
async function expectOneAnswerPerGuild(fake: FakeDiscord, shardCount: number): Promise<void> {
  for (const { guildId, channelId } of guilds) {
    const { id } = fake.chatInput("help", {}, { channelId, userId: ids.owner });
    expect((await callbackData(fake, id)).type).toBe(REPLY);
    const deliveries = sent(fake, "INTERACTION_CREATE", (frame) => field(frame, "id") === id);
    expect(deliveries.map((frame) => frame.shard)).toEqual([shardOf(guildId, shardCount)]);
    expect(fake.requests.filter((request) => request.path.startsWith(`/interactions/${id}/`))).toHaveLength(1);
  }
}

describe("gateway sharding (discord.js internal sharding)", () => {
  it("SHARDS=auto opens the recommended 3 shards; each guild is created on, and answered from, its one shard", async () => {
    const { fake, bot } = await startHarness({ fake: fakeOptions(3), shards: "auto" });
    expect(new Set(guilds.map(({ guildId }) => shardOf(guildId, 3)))).toEqual(new Set([0, 1, 2]));

    expect(identifiedShards(fake)).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    const readies = sent(fake, "READY");
    expect(new Set(readies.map((frame) => frame.connectionId)).size).toBe(3);
    expect(bot.client.ws.shards.size).toBe(3);

    for (const { guildId } of guilds) {
      const shard = shardOf(guildId, 3);
      const creates = sent(fake, "GUILD_CREATE", (frame) => field(frame, "id") === guildId);
      expect(creates.map((frame) => frame.shard)).toEqual([shard]);
      const listedBy = readies.filter((frame) =>
        (field(frame, "guilds") as { id: string }[]).some((guild) => guild.id === guildId),
      );
      expect(listedBy.map((frame) => frame.shard)).toEqual([shard]);
      expect(bot.client.guilds.cache.get(guildId)?.shardId).toBe(shard);
    }

    await expectOneAnswerPerGuild(fake, 3);
    expect(fake.internalErrors).toEqual([]);
  });

  it("a fixed SHARDS=2 identifies as 2 shards whatever Discord recommends, and routes by 2", async () => {
    const { fake, bot } = await startHarness({ fake: fakeOptions(3), shards: 2 });
    expect(identifiedShards(fake)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(bot.client.ws.shards.size).toBe(2);
    for (const { guildId } of guilds) {
      expect(sent(fake, "GUILD_CREATE", (frame) => field(frame, "id") === guildId).map((f) => f.shard)).toEqual([
        shardOf(guildId, 2),
      ]);
    }
    await expectOneAnswerPerGuild(fake, 2);
  });

  it("one shard drops and RESUMEs on its own; what it missed is replayed and answered once", async () => {
    const { fake } = await startHarness({ fake: fakeOptions(3), shards: "auto" });
    const shardB = shardOf(guildB, 3);
    await fake.dropGateway({ shard: shardB });
    const queued = fake.chatInput("help", {}, { channelId: channelB, userId: ids.owner });

    const resume = await fake.waitForGatewayFrame({ direction: "received", op: RESUME });
    expect(resume.shard).toBe(shardB);
    expect((await callbackData(fake, queued.id)).type).toBe(REPLY);
    expect(sent(fake, "INTERACTION_CREATE", (frame) => field(frame, "id") === queued.id)).toHaveLength(1);
    expect(sent(fake, "RESUMED").map((frame) => frame.shard)).toEqual([shardB]);
    expect(fake.gatewayFrames.filter((frame) => frame.direction === "received" && frame.op === IDENTIFY)).toHaveLength(
      3,
    );
    // The other shards kept their sessions: an interaction there is answered as before.
    await expectOneAnswerPerGuild(fake, 3);
  });

  it("a daily digest in guilds on different shards is posted exactly once per guild", async () => {
    const clock = clockStandingAt("2026-12-01T08:59:57Z");
    const { fake, store } = await startHarness({
      fake: fakeOptions(3),
      shards: "auto",
      digest: { clock, retry: FAST_RETRY },
    });
    for (const { channelId } of guilds) {
      const set = fake.chatInput(
        "digest",
        { channel: option.channel(channelId), time: "09:00", timezone: "UTC" },
        { channelId, userId: ids.owner, subcommand: "set" },
      );
      expect((await callbackData(fake, set.id)).data?.content).toMatch(/Daily digest set/);
    }
    clock.start();

    for (const { guildId } of guilds) {
      await expect
        .poll(async () => (await store.getSlot(guildId, "2026-12-01"))?.state, { timeout: 8000 })
        .toBe("sent");
    }
    // A moment for any second runner or duplicate send to show itself.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const { channelId } of guilds) {
      expect(digestMessages(fake, channelId)).toHaveLength(1);
    }
    const posts = fake.requests.filter(
      (request) => request.method === "POST" && /^\/channels\/\d+\/messages$/.test(request.path),
    );
    expect(posts).toHaveLength(guilds.length);
  });
});
