/**
 * A PostgreSQL that stops answering (a paused server, a network that drops packets: connections
 * stay open, no bytes come back) must not stall answers past Discord's deadline, nor /healthz.
 */
import { describe, expect, it } from "vitest";
import { FakeDiscord, ids } from "../fake-discord/index.ts";
import { callbackData, TEST_TOKEN } from "../helpers/bot-harness.ts";
import { startBotProcess } from "../helpers/bot-process.ts";
import { freshDatabase } from "../helpers/postgres.ts";
import { startTcpRelay } from "../helpers/tcp-relay.ts";
import { tempDataDir } from "../helpers/temp-dir.ts";

const REPLY = 4;
const EPHEMERAL = 64;

describe("a PostgreSQL that stops answering", () => {
  it("lookups, /ask and /fit answer in time; /digest status is deferred and told why; /healthz answers at once", async () => {
    const database = new URL(await freshDatabase());
    const relay = await startTcpRelay(Number(database.port));
    database.port = String(relay.port);
    const fake = await FakeDiscord.start();
    const bot = await startBotProcess({
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      GATEWAY: "off",
      DISCORD_PUBLIC_KEY: fake.publicKeyHex,
      DATABASE_URL: database.toString(),
      DATA_DIR: tempDataDir(),
    });
    fake.useInteractionsEndpoint(`http://127.0.0.1:${bot.port}/interactions`);
    const before = await callbackData(fake, fake.chatInput("term", { name: "moe" }).id);
    expect(before.type).toBe(REPLY);

    relay.pause();
    for (const [command, options] of [
      ["license", { name: "llama" }],
      ["ask", { question: "can I train another model on Llama 2 outputs?" }],
      ["fit", { model: "qwen3-30b-a3b", hardware: "4090" }],
    ] as const) {
      const body = await callbackData(fake, fake.chatInput(command, options).id);
      expect(body.type).toBe(REPLY);
      expect(body.data?.embeds?.length).toBeGreaterThan(0);
    }
    // An admin's /digest status reads the database: deferred once it runs long, then told why.
    const status = fake.chatInput("digest", {}, { userId: ids.admin, subcommand: "status" });
    expect(await callbackData(fake, status.id)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const told = await fake.waitForRequest<{ content?: string }>(
      { method: "PATCH", path: new RegExp(`/${status.token}/messages/@original$`) },
      20_000,
    );
    expect(told.body.content).toMatch(/database server is not answering/);
    const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`, { signal: AbortSignal.timeout(5000) });
    const report = await health.json();
    expect(health.status).toBe(503);
    expect(JSON.stringify(report)).toMatch(/no answer within/);

    relay.resume();
    // A query waits out its 10 s timeout before /digest status can say why: more than the default budget.
  }, 60_000);
});
