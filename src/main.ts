import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { type RunningBot, startBot } from "./bot/bot.ts";
import { KnowledgeHolder } from "./bot/knowledge-holder.ts";
import { createLogger } from "./bot/logger.ts";
import { BotMetrics } from "./bot/metrics.ts";
import { startOperatorServer } from "./bot/operator-server.ts";
import { describeStartupFailure } from "./bot/startup-failure.ts";
import { configOrReport, readProcessBotConfig } from "./config.ts";
import { formatIssue } from "./content/issues.ts";
import { loadKnowledge } from "./load/knowledge-loader.ts";
import { StoreError } from "./store/errors.ts";
import { openStore, type Store } from "./store/store.ts";
import { resolveContent } from "./sync/content-source.ts";
import { vocabulary } from "./understand/vocabulary.ts";

async function main(): Promise<number> {
  const config = configOrReport(readProcessBotConfig);
  if (!config) return 1;
  const logger = createLogger(config.LOG_LEVEL);
  const content = resolveContent(config);
  if (content.sync && !content.dir) {
    // First start with CONTENT_SOURCE: sync before serving; without a copy, serve the bundled content.
    const first = await content.sync.sync();
    if (first.status === "failed") {
      logger.warn(
        { source: content.sync.source, reason: first.reason },
        "first content sync failed; serving the bundled content until one succeeds",
      );
    }
    content.dir = content.sync.current()?.dir;
  }
  const loaded = loadKnowledge(content.dir);
  if (!loaded.knowledge) {
    for (const issue of loaded.errors) console.error(formatIssue(issue));
    console.error(`Stackbot cannot start: the content has ${loaded.errors.length} error(s) (npm run content:check).`);
    return 1;
  }
  const copy = content.sync?.current();
  const knowledge = copy
    ? { ...loaded.knowledge, synced: { source: copy.source, commit: copy.commit, date: copy.date } }
    : loaded.knowledge;
  const { timings } = loaded;
  // The cue files are read and compiled now, not on the first question a member asks.
  const cuesStarted = performance.now();
  vocabulary();
  logger.info(
    {
      ...timings,
      cuesMs: Math.round(performance.now() - cuesStarted),
      warnings: loaded.warnings.length,
      ...(copy ? { commit: copy.commit } : {}),
    },
    "content loaded",
  );

  // Nothing may end the process unseen: each stray failure is one error line with an id to quote.
  process.on("unhandledRejection", (reason) =>
    logger.error({ err: reason, errorId: randomBytes(4).toString("hex") }, "unhandled rejection"),
  );
  process.on("uncaughtException", (error) =>
    logger.error({ err: error, errorId: randomBytes(4).toString("hex") }, "uncaught exception"),
  );

  let store: Store;
  try {
    store = await openStore(config);
  } catch (error) {
    if (error instanceof StoreError) {
      console.error(`Stackbot cannot start: ${error.message}`);
      return 1;
    }
    throw error;
  }
  logger.info({ engine: store.engine, location: store.location }, "store opened");
  const holder = new KnowledgeHolder(knowledge, content.dir);
  const metrics = new BotMetrics();
  // The metrics port is opened before logging in: a port in use is found at once, not after the gateway.
  let bot: RunningBot | null = null;
  let operator: Server | null = null;
  if (config.METRICS_PORT) {
    try {
      operator = await startOperatorServer({
        port: config.METRICS_PORT,
        host: config.METRICS_HOST,
        metrics,
        health: async () => (bot ? bot.health() : [{ name: "bot", ok: false, detail: "starting" }]),
      });
      logger.info({ port: config.METRICS_PORT, host: config.METRICS_HOST }, "metrics and health served");
    } catch (error) {
      await store.close();
      console.error(
        `Stackbot cannot start: cannot listen on ${config.METRICS_HOST}:${config.METRICS_PORT} for metrics (${error instanceof Error ? error.message : String(error)}); check METRICS_PORT and METRICS_HOST.`,
      );
      return 1;
    }
  }
  // Signals are heard from here on: the bot logs "ready" before startBot returns, and a stop sent
  // then must still finish in-flight work. One during start-up stops once started; a second exits.
  let stopping = false;
  let requested: string | null = null;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing interactions in flight");
    await bot?.stop();
    operator?.close();
    await store.close();
    logger.info("stopped");
    logger.flush();
    process.exit(0);
  };
  const onSignal = (signal: string) => {
    if (bot) return void stop(signal);
    if (requested) process.exit(1);
    requested = signal;
    logger.info({ signal }, "stop requested while starting: stopping once started (again to quit at once)");
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  try {
    bot = await startBot({
      config,
      holder,
      store,
      logger,
      metrics,
      ...(content.sync ? { contentSync: { sync: content.sync, everyMs: config.CONTENT_SYNC_MINUTES * 60_000 } } : {}),
      ...(config.INTERACTIONS_PORT && config.DISCORD_PUBLIC_KEY
        ? {
            interactions: {
              port: config.INTERACTIONS_PORT,
              host: config.INTERACTIONS_HOST,
              publicKeyHex: config.DISCORD_PUBLIC_KEY,
            },
          }
        : {}),
    });
  } catch (error) {
    operator?.close();
    await store.close();
    console.error(`Stackbot cannot start: ${describeStartupFailure(error, config.DISCORD_API_BASE)}`);
    return 1;
  }

  const running = bot;
  process.on("SIGHUP", () => running.reload());
  if (requested) await stop(requested);
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error) => {
    console.error(`Stackbot stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
