import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { onTestFinished } from "vitest";
import type { AnyCommand } from "../../commands/index.ts";
import { type BotOptions, type RunningBot, startBot } from "../../src/bot/bot.ts";
import { KnowledgeHolder } from "../../src/bot/knowledge-holder.ts";
import { createLogger } from "../../src/bot/logger.ts";
import type { BotConfig } from "../../src/config.ts";
import { loadKnowledge } from "../../src/load/knowledge-loader.ts";
import { PostgresStore, SqliteStore, type Store } from "../../src/store/store.ts";
import { FakeDiscord, type FakeDiscordOptions, ids } from "../fake-discord/index.ts";

export const TEST_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.fake-signature.fake-hmac-for-tests";

/** Log lines the bot wrote, parsed. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
      this.raw.push(line);
      this.lines.push(JSON.parse(line));
    }
    done();
  }
  find(predicate: (line: Record<string, unknown>) => boolean) {
    return this.lines.find(predicate);
  }
}

export interface Harness {
  fake: FakeDiscord;
  bot: RunningBot;
  logs: LogCapture;
  holder: KnowledgeHolder;
  store: Store;
  dataDir: string;
}

export interface HarnessOptions {
  /**
   * Interactions over HTTP: "only" runs without a gateway (GATEWAY=off), "also" beside it. The fake
   * then signs each interaction and POSTs it to the bot's endpoint.
   */
  http?: "only" | "also";
  /** PostgreSQL instead of SQLite in the data directory. */
  databaseUrl?: string;
  fake?: FakeDiscordOptions;
  /** Reuse a fake (to restart the bot against the same Discord). */
  existingFake?: FakeDiscord;
  contentDir?: string;
  /** Reuse a data directory (to restart the bot on the same database). */
  dataDir?: string;
  commands?: readonly AnyCommand[];
  config?: Partial<Pick<BotConfig, "NEWS_FEED_URL" | "DIGEST_GRACE_HOURS">>;
  digest?: BotOptions["digest"];
  gapReports?: BotOptions["gapReports"];
  metrics?: BotOptions["metrics"];
  databaseCheckMs?: number;
  contentSync?: BotOptions["contentSync"];
  /** Gateway shards for the client ("auto" asks the fake's GET /gateway/bot). */
  shards?: "auto" | number;
}

/** The fake Discord and the real bot (real discord.js client) logged into it; both stop after the test. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { fake: fakeOptions, contentDir, commands } = options;
  const fake = options.existingFake ?? (await FakeDiscord.start(fakeOptions));
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "stackbot-data-"));
  const store: Store = options.databaseUrl ? await PostgresStore.open(options.databaseUrl) : SqliteStore.open(dataDir);
  const logs = new LogCapture();
  const logger = createLogger("debug", logs);
  const loaded = loadKnowledge(contentDir);
  if (!loaded.knowledge) throw new Error("test content has errors");
  const holder = new KnowledgeHolder(loaded.knowledge, contentDir);
  let bot: RunningBot | undefined;
  onTestFinished(async () => {
    await bot?.stop();
    await store.close();
    if (!options.existingFake) await fake.stop();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  bot = await startBot({
    config: {
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      OWNER_IDS: [ids.owner],
      ...(options.http === "only" ? { GATEWAY: "off" as const } : {}),
      ...options.config,
    },
    ...(options.http ? { interactions: { port: 0, host: "127.0.0.1", publicKeyHex: fake.publicKeyHex } } : {}),
    holder,
    store,
    logger,
    ...(options.digest ? { digest: options.digest } : {}),
    ...(options.gapReports ? { gapReports: options.gapReports } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.databaseCheckMs ? { databaseCheckMs: options.databaseCheckMs } : {}),
    ...(options.contentSync ? { contentSync: options.contentSync } : {}),
    client: {
      rest: { retries: 1, timeout: 2000 },
      waitGuildTimeout: 500,
      ...(options.shards !== undefined ? { shards: options.shards } : {}),
    },
    readyTimeoutMs: 10_000,
    ...(commands ? { commands } : {}),
  });
  if (bot.interactionsServer) {
    const { port } = bot.interactionsServer.address() as AddressInfo;
    fake.useInteractionsEndpoint(`http://127.0.0.1:${port}/interactions`);
  }
  return { fake, bot, logs, holder, store, dataDir };
}

/** The callback body Discord received for an interaction. */
export async function callbackData(fake: FakeDiscord, interactionId: string) {
  const request = await fake.callbackFor(interactionId);
  // biome-ignore lint/suspicious/noExplicitAny: tests read deep into Discord's JSON by known paths
  return request.body as { type: number; data?: Record<string, any> };
}
