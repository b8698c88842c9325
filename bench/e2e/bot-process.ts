/**
 * Child: the real bot (startBot from src/bot/bot.ts: discord.js, dispatcher, responder, flood
 * control, store) logged into the fake at DISCORD_API_BASE, with silent logs. Reports CPU and memory on
 * request; "stop" drains and exits. Env: DISCORD_API_BASE, CONTENT_DIR (optional), LOG_LEVEL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBot } from "../../src/bot/bot.ts";
import { KnowledgeHolder } from "../../src/bot/knowledge-holder.ts";
import { createLogger } from "../../src/bot/logger.ts";
import { SqliteStore } from "../../src/store/store.ts";
import { exitWithParent } from "../ipc.ts";
import { benchCacheFile, loadKnowledgeWith } from "../knowledge.ts";
import { serveBotProcess } from "./process-stats.ts";

exitWithParent();
const apiBase = process.env.DISCORD_API_BASE;
if (!apiBase?.startsWith("http://127.0.0.1:")) throw new Error("DISCORD_API_BASE must point at the fake on 127.0.0.1");
const contentDir = process.env.CONTENT_DIR || undefined;

const cacheFile = benchCacheFile("e2e");
const loaded = loadKnowledgeWith(contentDir, cacheFile);
if (!loaded.knowledge) throw new Error(`content has ${loaded.errors.length} errors`);
const holder = new KnowledgeHolder(loaded.knowledge, contentDir, (dir) => loadKnowledgeWith(dir, cacheFile));
// The bot's SQLite store (digest and auto-answer settings) in a throwaway directory.
const dataDir = mkdtempSync(join(tmpdir(), "stackbot-bench-data-"));
const store = SqliteStore.open(dataDir);
const bot = await startBot({
  config: { DISCORD_TOKEN: "MTAwMDAwMDAwMDAwMDAwMDAx.bench.bench-token", DISCORD_API_BASE: apiBase, OWNER_IDS: [] },
  holder,
  store,
  logger: createLogger(process.env.LOG_LEVEL || "silent"),
  client: { waitGuildTimeout: 1000 },
  readyTimeoutMs: 30_000,
});
await serveBotProcess(async () => {
  await bot.stop();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});
