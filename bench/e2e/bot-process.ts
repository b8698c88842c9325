/**
 * Child: the real bot (startBot from src/bot/bot.ts: discord.js, dispatcher, responder, flood
 * control, store, metrics) against the fake at DISCORD_API_BASE, with silent logs. Reports CPU and
 * memory on request; "stop" drains and exits. The bench runs it compiled, as `npm start` runs the bot.
 *
 * Env: DISCORD_API_BASE, CONTENT_DIR (optional), LOG_LEVEL, BENCH_TRANSPORT ("gateway", the default,
 * or "http": GATEWAY=off and the Interactions Endpoint on 127.0.0.1, an ephemeral port, verifying
 * with BENCH_PUBLIC_KEY). The ready message carries the endpoint's URL in HTTP mode.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBot } from "../../src/bot/bot.ts";
import { KnowledgeHolder } from "../../src/bot/knowledge-holder.ts";
import { createLogger } from "../../src/bot/logger.ts";
import { BotMetrics } from "../../src/bot/metrics.ts";
import { SqliteStore } from "../../src/store/store.ts";
import { exitWithParent } from "../ipc.ts";
import { benchCacheFile, loadKnowledgeWith } from "../knowledge.ts";
import { serveBotProcess } from "./process-stats.ts";

exitWithParent();
const apiBase = process.env.DISCORD_API_BASE;
if (!apiBase?.startsWith("http://127.0.0.1:")) throw new Error("DISCORD_API_BASE must point at the fake on 127.0.0.1");
const contentDir = process.env.CONTENT_DIR || undefined;
const http = process.env.BENCH_TRANSPORT === "http";
const publicKeyHex = process.env.BENCH_PUBLIC_KEY ?? "";
if (http && !/^[0-9a-f]{64}$/.test(publicKeyHex)) throw new Error("BENCH_PUBLIC_KEY must be the fake's public key");

const cacheFile = benchCacheFile("e2e");
const loaded = loadKnowledgeWith(contentDir, cacheFile);
if (!loaded.knowledge) throw new Error(`content has ${loaded.errors.length} errors`);
const holder = new KnowledgeHolder(loaded.knowledge, contentDir, (dir) => loadKnowledgeWith(dir, cacheFile));
// The bot's SQLite store (digest and auto-answer settings) in a throwaway directory.
const dataDir = mkdtempSync(join(tmpdir(), "stackbot-bench-data-"));
const store = SqliteStore.open(dataDir);
const bot = await startBot({
  config: {
    DISCORD_TOKEN: "MTAwMDAwMDAwMDAwMDAwMDAx.bench.bench-token",
    DISCORD_API_BASE: apiBase,
    OWNER_IDS: [],
    ...(http ? { GATEWAY: "off" as const } : {}),
  },
  ...(http ? { interactions: { port: 0, host: "127.0.0.1", publicKeyHex } } : {}),
  holder,
  store,
  logger: createLogger(process.env.LOG_LEVEL || "silent"),
  // As src/main.ts: the metrics are always kept (and served when METRICS_PORT is set).
  metrics: new BotMetrics(),
  client: { waitGuildTimeout: 1000 },
  readyTimeoutMs: 30_000,
});
const address = bot.interactionsServer?.address() as AddressInfo | null | undefined;
await serveBotProcess(
  async () => {
    await bot.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
  address ? { endpoint: `http://127.0.0.1:${address.port}/interactions` } : {},
);
