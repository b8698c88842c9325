/**
 * Several stateless instances behind one URL, as the README's "Scaling out" runs them: two bot
 * processes (src/main.ts, GATEWAY=off) answering Discord's signed HTTP interactions behind a
 * round-robin relay, one PostgreSQL holding everything they share.
 */
import { describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/store.ts";
import { FakeDiscord, type FakeDiscordOptions, ids } from "../fake-discord/index.ts";
import { callbackData, TEST_TOKEN } from "../helpers/bot-harness.ts";
import { startBotProcess } from "../helpers/bot-process.ts";
import { digestMessages } from "../helpers/digest.ts";
import { freshDatabase } from "../helpers/postgres.ts";
import { startRoundRobinRelay } from "../helpers/round-robin-relay.ts";
import { tempDataDir } from "../helpers/temp-dir.ts";

const SERVERS = 50;
const REPLY = 4;
const AUTOCOMPLETE = 8;
const EPHEMERAL = 64;

const guildIds = Array.from({ length: SERVERS }, (_, index) => String(410000000000000000n + BigInt(index)));
const channelOf = (guildId: string) => String(BigInt(guildId) + 100000000000000n);

/** 50 servers the bot is in, each with a text channel for its digest. */
const fleet: FakeDiscordOptions = {
  guilds: guildIds.map((id, index) => ({ id, name: `Server ${index + 1}` })),
  channels: guildIds.map((guildId) => ({ id: channelOf(guildId), guildId, name: "general" })),
};

async function instances(fake: FakeDiscord, databaseUrl: string) {
  const env = {
    DISCORD_TOKEN: TEST_TOKEN,
    DISCORD_API_BASE: fake.apiBase,
    GATEWAY: "off",
    DISCORD_PUBLIC_KEY: fake.publicKeyHex,
    DATABASE_URL: databaseUrl,
    DATA_DIR: tempDataDir(),
  };
  const started = await Promise.all([startBotProcess(env), startBotProcess(env)]);
  return { env, started };
}

describe("two HTTP instances, one PostgreSQL, a round-robin relay", () => {
  it("every command answers correctly through either instance; a bad signature gets 401", async () => {
    const fake = await FakeDiscord.start();
    const { started } = await instances(fake, await freshDatabase());
    const relay = await startRoundRobinRelay(() => started.map((instance) => instance.port));
    fake.useInteractionsEndpoint(`${relay.url}/interactions`);

    const asked = [
      ["license", { name: "llama" }, "Llama: licences by version"],
      ["family", { name: "qwen" }, "Qwen"],
      ["term", { name: "moe" }, "Mixture of experts"],
      ["ask", { question: "is olmo fully open" }, "OLMo"],
      ["compare", { first: "llama", second: "qwen" }, "Llama vs Qwen"],
      ["help", {}, "Stackbot: answers from The Open-Source AI Stack"],
    ] as const;
    for (const [command, options, title] of asked) {
      const body = await callbackData(fake, fake.chatInput(command, options).id);
      expect(body.type).toBe(REPLY);
      expect(body.data?.embeds[0].title).toBe(title);
    }
    const choices = await callbackData(fake, fake.autocomplete("license", { name: "llama 3" }).id);
    expect(choices.type).toBe(AUTOCOMPLETE);
    expect((choices.data!.choices as { value: string }[])[0]?.value).toMatch(/^llama-3/);
    const term = await callbackData(fake, fake.chatInput("term", { name: "qlora" }).id);
    const button = term.data?.components[0].components[0];
    const clicked = await callbackData(fake, fake.button(button.custom_id).id);
    expect(clicked.data?.flags).toBe(EPHEMERAL);
    expect(clicked.data?.embeds[0].title).toBe(button.label);
    const thread = fake.chatInput("ask", { question: "can I use gemma commercially", thread: true });
    await fake.waitForRequest({ method: "POST", path: /^\/channels\/\d+\/messages\/\d+\/threads$/ });
    expect(fake.interaction(thread.id)?.original?.id).toBe(fake.threadsCreated().at(-1)?.id);

    // The same answer asked again in the channel reaches the other instance, which points at the first copy.
    const lora = await callbackData(fake, fake.chatInput("term", { name: "lora" }).id);
    expect(lora.data?.embeds[0].title).toBe("LoRA");
    const again = await callbackData(fake, fake.chatInput("term", { name: "LoRA" }, { userId: ids.admin }).id);
    expect(again.data?.flags).toBe(EPHEMERAL);
    expect(again.data?.content).toMatch(/posted in this channel moments ago: https:\/\/discord.com\/channels\//);

    // Round robin: both instances took their share.
    for (const instance of started) expect(relay.served.get(instance.port)).toBeGreaterThanOrEqual(4);

    const forged = await fake.postToEndpoint(JSON.stringify(fake.build.chatInput("term", { name: "moe" })), {
      signature: "ab".repeat(64),
    });
    expect(forged.status).toBe(401);
    expect(fake.httpFailures).toEqual([]);
    await fake.stop();
  });

  it("a digest for 50 servers is posted exactly once while one instance is killed mid-burst and restarted", async () => {
    const fake = await FakeDiscord.start(fleet);
    // One message at a time, 40 ms apart: the burst of 50 takes about two seconds.
    fake.slowDown({ method: "POST", path: /^\/channels\/\d+\/messages$/ }, 40);
    const databaseUrl = await freshDatabase();
    const now = new Date();
    // A minute ago, so each instance's start catches the day's digests up at once: the burst.
    const minutes = Math.max(0, now.getUTCHours() * 60 + now.getUTCMinutes() - 1);
    const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    const today = now.toISOString().slice(0, 10);
    const store = await PostgresStore.open(databaseUrl);
    try {
      for (const guildId of guildIds) {
        await store.setDigest({ guildId, channelId: channelOf(guildId), time, timezone: "UTC" });
      }

      const { env, started } = await instances(fake, databaseUrl);
      const [victim] = started;
      const posted = () => fake.requests.filter((r) => r.method === "POST" && /\/messages$/.test(r.path)).length;
      await expect.poll(posted, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(10);
      await victim!.kill("SIGKILL");
      expect(posted()).toBeLessThan(SERVERS);
      await startBotProcess(env, victim!.port);

      const sent = async () => {
        let count = 0;
        for (const guildId of guildIds) if ((await store.getSlot(guildId, today))?.state === "sent") count++;
        return count;
      };
      // A claim the killed instance held is trusted for its lease (20 s), then taken over.
      await expect.poll(sent, { timeout: 60_000, interval: 500 }).toBe(SERVERS);
      for (const guildId of guildIds) expect(digestMessages(fake, channelOf(guildId))).toHaveLength(1);
      expect(digestMessages(fake, ids.textChannel)).toHaveLength(0);
    } finally {
      await store.close();
      await fake.stop();
    }
  }, 90_000);
});
