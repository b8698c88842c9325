import { once } from "node:events";
import type { Server } from "node:http";
import { type APIUser, type Client, type RESTGetAPIGatewayBotResult, Routes } from "discord.js";
import { type AnyCommand, createRegistry } from "../../commands/index.ts";
import type { BotConfig } from "../config.ts";
import type { Clock, ReadRecent, SendMessage } from "../digest/ports.ts";
import type { PostOutcome } from "../digest/poster.ts";
import { DigestRunner } from "../digest/runner.ts";
import type { DigestNews } from "../digest/select.ts";
import { WeeklyGapReport } from "../digest/weekly-gaps.ts";
import { siteUrls } from "../knowledge/urls.ts";
import { NewsFeed } from "../news/feed.ts";
import type { Store } from "../store/store.ts";
import type { ContentSync } from "../sync/content-sync.ts";
import { channelInspector } from "./channel-inspector.ts";
import { type ClientSettings, createClient } from "./client.ts";
import { Dispatcher } from "./dispatcher.ts";
import { GapRecorder } from "./feedback.ts";
import { FloodControl } from "./flood-control.ts";
import { answerNewPost } from "./forum-answers.ts";
import { type GatewayEvent, observeGateway } from "./gateway-events.ts";
import type { HealthCheck, HealthProbe } from "./health.ts";
import { InteractionIntake } from "./interaction-intake.ts";
import { interactionPublicKey } from "./interaction-signature.ts";
import { startInteractionsServer } from "./interactions-server.ts";
import type { KnowledgeHolder, ReloadOutcome } from "./knowledge-holder.ts";
import type { Logger } from "./logger.ts";
import type { BotMetrics } from "./metrics.ts";
import { PendingHttpResponses } from "./pending-http-responses.ts";
import { guardRawInteractions } from "./raw-interaction-guard.ts";
import { Responder } from "./respond.ts";
import { SeenInteractions } from "./seen-interactions.ts";
import { GatewaySilentError, ListenError } from "./startup-failure.ts";
import { withinBudget } from "./time-budget.ts";

/** How long /healthz waits for the database before reporting it as not answering. */
const HEALTH_PING_BUDGET_MS = 800;
export interface BotOptions {
  config: Pick<BotConfig, "DISCORD_TOKEN" | "DISCORD_API_BASE" | "OWNER_IDS"> &
    Partial<Pick<BotConfig, "NEWS_FEED_URL" | "DIGEST_GRACE_HOURS" | "GATEWAY" | "SHARDS">>;
  /** Serve Discord's Interactions Endpoint (POST /interactions) and GET /healthz. */
  interactions?: { port: number; host: string; publicKeyHex: string; nowSeconds?: () => number };
  holder: KnowledgeHolder;
  store: Store;
  logger: Logger;
  client?: ClientSettings;
  commands?: readonly AnyCommand[];
  /** Test seams for the digest: a clock and faster retries. */
  digest?: {
    clock?: Clock;
    retry?: { attempts: number; baseDelayMs: number };
    storeRetry?: { baseDelayMs: number; maxDelayMs: number };
    feedTimeoutMs?: number;
    claimLeaseMs?: number;
    refreshMs?: number;
  };
  /** Test seams for the weekly gaps report: a clock, a faster check, a shorter lease. */
  gapReports?: { clock?: Clock; checkEveryMs?: number; claimLeaseMs?: number; purgeEveryMs?: number };
  /** How long to wait for the gateway before giving up (discord.js itself would retry forever). */
  readyTimeoutMs?: number;
  /** Counts interactions, digests, reloads and gateway events for `GET /metrics`. */
  metrics?: BotMetrics;
  /** How often to check that the database file is still in place (default 30 s). */
  databaseCheckMs?: number;
  /** Keeps the content in step with the site's repository (CONTENT_SOURCE). */
  contentSync?: { sync: ContentSync; everyMs: number };
}

export interface RunningBot {
  client: Client;
  dispatcher: Dispatcher;
  responder: Responder;
  digest: DigestRunner;
  reload: () => ReloadOutcome;
  /** Runs one content sync now (the timer runs them every CONTENT_SYNC_MINUTES). */
  syncContent: () => Promise<void>;
  /** The interactions endpoint, when INTERACTIONS_PORT is set. */
  interactionsServer: Server | null;
  /** What GET /healthz reports: content served, database answering, gateway connected (when used). */
  health: HealthProbe;
  /** Stops taking interactions, finishes those in flight and the digests being posted, and disconnects. */
  stop: () => Promise<void>;
}

const FLOOD = { repeatWindowMs: 30_000, userBurst: 8, userWindowMs: 10_000 };
const DESTROY_WAIT_MS = 2000;
/** discord.js starts one shard every 5 s (max_concurrency 1): the wait for READY grows with the count. */
const PER_SHARD_READY_MS = 6_000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, holder, store, logger } = options;
  const useGateway = config.GATEWAY !== "off";
  const shards = options.client?.shards ?? config.SHARDS;
  const client = createClient({
    apiBase: config.DISCORD_API_BASE,
    ...options.client,
    ...(shards !== undefined ? { shards } : {}),
  });
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const pendingHttp = options.interactions ? new PendingHttpResponses() : undefined;
  const responder = new Responder(client.rest, pendingHttp);
  /** Known from the gateway's READY, or asked of REST when there is no gateway. */
  let botUserId: string | null = null;
  // Several instances share one store: a repeated answer is then held back whichever instance gets it.
  const flood = new FloodControl({ ...FLOOD, ...(store.shared ? { shared: store } : {}) });
  const knowledge = () => holder.knowledge;
  const feed = config.NEWS_FEED_URL
    ? new NewsFeed({
        url: config.NEWS_FEED_URL,
        logger,
        state: {
          load: (url) => store.getFeedState(url),
          save: (url, state) => store.saveFeedState(url, state),
          ...(store.shared
            ? { claimFetch: (url: string, now: number, every: number) => store.claimFeedFetch(url, now, every) }
            : {}),
        },
        ...(options.digest?.feedTimeoutMs ? { timeoutMs: options.digest.feedTimeoutMs } : {}),
      })
    : null;
  const news = async (): Promise<DigestNews | null> => {
    if (feed) return feed.latest();
    const newest = holder.knowledge.kb.news[0];
    return newest
      ? {
          date: newest.date,
          title: `Daily roundup · ${newest.date}`,
          summary: newest.editorialLetter,
          link: siteUrls.news(newest.date),
        }
      : null;
  };
  const readRecent: ReadRecent = async (channelId) =>
    (await responder.recentMessages(channelId)).map((message) => ({
      id: message.id,
      authorId: message.author.id,
      content: message.content,
    }));
  const send: SendMessage = (channelId, payload) => responder.send(channelId, payload);
  const digest = new DigestRunner({
    store,
    knowledge,
    send,
    readRecent,
    botUserId: () => client.user?.id ?? botUserId,
    ...(options.metrics ? { observe: (outcome: PostOutcome) => options.metrics?.digest(outcome) } : {}),
    news,
    logger,
    graceMs: (config.DIGEST_GRACE_HOURS ?? 6) * 3_600_000,
    messageLink: (guildId, channelId, messageId) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`,
    ...(options.digest?.clock ? { clock: options.digest.clock } : {}),
    ...(options.digest?.retry ? { retry: options.digest.retry } : {}),
    ...(options.digest?.storeRetry ? { storeRetry: options.digest.storeRetry } : {}),
    ...(options.digest?.claimLeaseMs ? { claimLeaseMs: options.digest.claimLeaseMs } : {}),
    ...(options.digest?.refreshMs ? { refreshMs: options.digest.refreshMs } : {}),
  });
  const { purgeEveryMs = 3_600_000, ...reportSeams } = options.gapReports ?? {};
  const weeklyGaps = new WeeklyGapReport({
    gaps: store.gaps,
    send,
    readRecent,
    botUserId: () => client.user?.id ?? botUserId,
    logger,
    shared: store.shared,
    ...reportSeams,
  });
  const { metrics } = options;
  if (metrics) store.onWriteError = (kind) => metrics.databaseError(kind);
  const contentServed = () => {
    metrics?.contentServed(holder.knowledge.kb.origin, holder.knowledge.kb.contentDate);
    // With CONTENT_SOURCE set, 0 while the bundled content stands in for a site that never synced.
    if (options.contentSync) metrics?.contentSourceSynced(options.contentSync.sync.current() !== null);
  };
  contentServed();
  const reload = (): ReloadOutcome => {
    const outcome = holder.reload();
    metrics?.reload(outcome.ok);
    if (outcome.ok) {
      contentServed();
      logger.info({ summary: outcome.summary }, "content reloaded");
    } else logger.error({ errors: outcome.errors }, "content reload failed; still serving the previous content");
    return outcome;
  };
  const syncContent = async (): Promise<void> => {
    const contentSync = options.contentSync?.sync;
    if (!contentSync) return;
    const result = await contentSync.sync();
    if (result.status === "updated" && result.loaded.knowledge) {
      const { commit, date, source, dir } = result.copy;
      holder.replace({ ...result.loaded.knowledge, synced: { source, commit, date } }, dir);
      metrics?.reload(true);
      contentServed();
      logger.info({ commit, date, warnings: result.loaded.warnings.length }, "content synced");
    } else if (result.status === "failed") {
      metrics?.reload(false);
      logger.warn(
        { source: contentSync.source, reason: result.reason },
        "content sync failed; still serving the previous content",
      );
    }
  };
  const syncTimer = options.contentSync
    ? setInterval(
        () => void syncContent().catch((error) => logger.error({ err: error }, "content sync crashed")),
        options.contentSync.everyMs,
      )
    : null;
  syncTimer?.unref();
  const gapRecorder = new GapRecorder(store.gaps, metrics);
  const dispatcher = new Dispatcher({
    gaps: gapRecorder,
    registry: createRegistry(options.commands),
    holder,
    responder,
    flood,
    logger,
    ownerIds: new Set(config.OWNER_IDS),
    ...(metrics ? { observe: metrics.interaction.bind(metrics) } : {}),
    services: {
      content: {
        reload: async () => reload(),
        status: () => {
          const sync = options.contentSync?.sync;
          if (!sync) return null;
          const copy = sync.current();
          return {
            source: sync.source,
            serving: copy
              ? `commit ${copy.commit.slice(0, 12)} of ${copy.date}`
              : "the bundled content (no synced copy yet)",
            lastSync: sync.lastResult(),
          };
        },
      },
      digest,
      channels: channelInspector(client, () => client.user?.id ?? botUserId),
      gaps: {
        report: async (guildId, days) => {
          const since = Date.now() - days * 86_400_000;
          const [gaps, wrong, settings] = await Promise.all([
            store.gaps.topGaps(guildId, since, 10),
            store.gaps.topWrong(guildId, since, 5),
            store.gaps.settings(guildId),
          ]);
          return { days, gaps, wrong, keepText: settings.keepText };
        },
        settings: (guildId) => store.gaps.settings(guildId),
        setSettings: async (guildId, settings) => {
          await store.gaps.setSettings(guildId, settings, Date.now());
          return store.gaps.settings(guildId);
        },
        forget: (guildId) => store.gaps.forget(guildId),
        reportChannel: (guildId) => store.gaps.reportChannel(guildId),
        setReportChannel: (guildId, channelId) => store.gaps.setReportChannel(guildId, channelId, Date.now()),
      },
      autoAnswer: {
        set: (guildId, channelId) => store.setAutoAnswer(guildId, channelId),
        off: (guildId, channelId) => store.removeAutoAnswer(guildId, channelId),
        list: (guildId) => store.listAutoAnswerChannels(guildId),
      },
    },
  });
  const intake = new InteractionIntake(client, dispatcher, logger);
  client.on("threadCreate", (thread, newlyCreated) => {
    if (newlyCreated)
      void answerNewPost(thread, { client, store, responder, knowledge, logger }).catch((error) =>
        logger.error({ err: error }, "new-post answer failed"),
      );
  });
  client.on("guildDelete", (guild) => {
    // An outage makes a guild unavailable; only a real removal forgets its settings.
    if (guild.available === false) return;
    digest.forgetGuild(guild.id).then(
      () => logger.info({ guildId: guild.id }, "left a server: its settings were removed"),
      (error) =>
        logger.error({ guildId: guild.id, err: error }, "left a server, but its settings could not be removed"),
    );
  });
  client.on("error", (error) => logger.error({ err: error }, "client error"));
  guardRawInteractions(client, logger);
  let stopping = false;
  observeGateway(
    client,
    logger,
    (event: GatewayEvent) => options.metrics?.gatewayEvent(event),
    () => stopping,
  );
  const seen = new SeenInteractions(store);
  const sweeper = setInterval(() => {
    flood.sweep();
    seen.sweep();
  }, 60_000);
  sweeper.unref();
  // Hourly: question text past its server's retention is deleted (counts stay).
  const purger = setInterval(
    () => void gapRecorder.purge().catch((error) => logger.warn({ err: error }, "could not purge old gap text")),
    purgeEveryMs,
  );
  purger.unref();
  // A database file deleted or replaced under the bot is noticed within half a minute and written back.
  const fileCheck = store.checkFile
    ? setInterval(() => checkDatabaseFile(store, logger), options.databaseCheckMs ?? 30_000)
    : undefined;
  fileCheck?.unref();

  const health: HealthProbe = async () => {
    // /healthz answers within a second even when the database has stopped answering.
    const database = await withinBudget(store.ping(), HEALTH_PING_BUDGET_MS, () => ({
      ok: false as const,
      error: `no answer within ${HEALTH_PING_BUDGET_MS} ms`,
    }));
    return [
      contentHealth(options.contentSync?.sync),
      { name: "database", ok: database.ok, ...(database.ok ? {} : { detail: database.error }) },
      ...(useGateway
        ? [{ name: "gateway", ok: client.isReady(), ...(client.isReady() ? {} : { detail: "not connected" }) }]
        : []),
    ];
  };
  const clearTimers = () => {
    clearInterval(sweeper);
    clearInterval(purger);
    if (fileCheck) clearInterval(fileCheck);
    if (syncTimer) clearInterval(syncTimer);
  };
  try {
    if (useGateway) await connectGateway(client, config.DISCORD_TOKEN, readyTimeoutMs, shards);
    else botUserId = await checkToken(client, config.DISCORD_TOKEN);
  } catch (error) {
    clearTimers();
    throw error;
  }
  let interactionsServer: Server | null = null;
  if (options.interactions && pendingHttp) {
    const { port, host, publicKeyHex, nowSeconds } = options.interactions;
    try {
      interactionsServer = await startInteractionsServer({
        port,
        host,
        publicKey: interactionPublicKey(publicKeyHex),
        pending: pendingHttp,
        receive: (data) => intake.receive(data),
        firstSeen: (interactionId) => seen.firstSeen(interactionId),
        health,
        logger,
        ...(nowSeconds ? { nowSeconds } : {}),
        ...(options.metrics ? { refused: options.metrics.endpointRefused.bind(options.metrics) } : {}),
      });
    } catch (error) {
      clearTimers();
      await client.destroy();
      throw new ListenError(
        `cannot listen on ${host}:${port} for interactions (${error instanceof Error ? error.message : String(error)}); check INTERACTIONS_PORT and INTERACTIONS_HOST.`,
      );
    }
    logger.info({ host, port }, "interactions endpoint listening");
  }
  logger.info({ user: client.user?.id ?? botUserId, guilds: client.guilds.cache.size, gateway: useGateway }, "ready");
  await digest.start();
  weeklyGaps.start();

  return {
    client,
    dispatcher,
    responder,
    digest,
    reload,
    syncContent,
    interactionsServer,
    health,
    stop: async () => {
      stopping = true;
      const closed = interactionsServer
        ? new Promise<void>((resolve) => interactionsServer!.close(() => resolve()))
        : Promise.resolve();
      await dispatcher.drain();
      await digest.stop();
      await weeklyGaps.stop();
      clearTimers();
      // A file deleted since the last check is written back before the connection closes with it.
      if (store.checkFile) checkDatabaseFile(store, logger);
      await client.destroy();
      interactionsServer?.closeAllConnections();
      await closed;
    },
  };
}

/** Logs in and waits for READY (from every shard), or throws why not. */
async function connectGateway(
  client: Client,
  token: string,
  baseTimeoutMs: number,
  shards: "auto" | number | undefined,
): Promise<void> {
  const shardCount = shards === "auto" ? await recommendedShards(client, token) : (shards ?? 1);
  const readyTimeoutMs = baseTimeoutMs + (shardCount - 1) * PER_SHARD_READY_MS;
  const ready = once(client, "clientReady");
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewaySilentError(readyTimeoutMs)), readyTimeoutMs);
    timer.unref();
  });
  const login = client.login(token);
  // Whichever loses the race must not reject later with nobody listening.
  for (const pending of [ready, silent, login]) pending.catch(() => undefined);
  try {
    await Promise.race([login.then(() => Promise.race([ready, silent])), silent]);
  } catch (error) {
    // A gateway that never answered may never close either: give up on it after a moment.
    await Promise.race([client.destroy().catch(() => undefined), delay(DESTROY_WAIT_MS)]);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** How many shards Discord recommends (what discord.js's "auto" will open), to size the wait for READY. */
async function recommendedShards(client: Client, token: string): Promise<number> {
  client.rest.setToken(token);
  const gateway = (await client.rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return Math.max(1, gateway.shards);
}

/**
 * Without a gateway nothing proves the token until the first REST call: ask who we are at start, so
 * a wrong token fails now with the usual message.
 */
async function checkToken(client: Client, token: string): Promise<string> {
  client.token = token;
  client.rest.setToken(token);
  const me = (await client.rest.get(Routes.user())) as APIUser;
  return me.id;
}

function checkDatabaseFile(store: Store, logger: Logger): void {
  const result = store.checkFile?.() ?? { status: "ok" };
  if (result.status === "restored") {
    logger.warn(
      { path: store.location, problem: result.problem, movedAside: result.movedAside },
      `the database file ${store.location} was ${result.problem} while the bot ran; it was written back from the open connection`,
    );
  } else if (result.status === "lost") {
    logger.error(
      { path: store.location, problem: result.problem, error: result.error },
      `the database file ${store.location} was ${result.problem} and could not be written back; restore it from a backup`,
    );
  }
}

/**
 * The content check of GET /healthz: serving, but degraded while a CONTENT_SOURCE has never synced
 * and the bundled content stands in for the site.
 */
function contentHealth(sync: ContentSync | undefined): HealthCheck {
  if (!sync || sync.current()) return { name: "content", ok: true };
  const last = sync.lastResult();
  return {
    name: "content",
    ok: true,
    degraded: true,
    detail: `CONTENT_SOURCE ${sync.source} has not synced${last ? ` (${last.result})` : ""}; serving the bundled content`,
  };
}
