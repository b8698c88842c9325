import { once } from "node:events";
import type { Client } from "discord.js";
import { type AnyCommand, createRegistry } from "../../commands/index.ts";
import type { BotConfig } from "../config.ts";
import { type Clock, DigestRunner, type PostOutcome } from "../digest/runner.ts";
import type { DigestNews } from "../digest/select.ts";
import { siteUrls } from "../knowledge/urls.ts";
import { NewsFeed } from "../news/feed.ts";
import type { Store } from "../store/store.ts";
import type { ContentSync } from "../sync/content-sync.ts";
import { channelInspector } from "./channel-inspector.ts";
import { type ClientSettings, createClient } from "./client.ts";
import { Dispatcher } from "./dispatcher.ts";
import { FloodControl } from "./flood-control.ts";
import { answerNewPost } from "./forum-answers.ts";
import { type GatewayEvent, observeGateway } from "./gateway-events.ts";
import type { KnowledgeHolder, ReloadOutcome } from "./knowledge-holder.ts";
import type { Logger } from "./logger.ts";
import type { BotMetrics } from "./metrics.ts";
import { guardRawInteractions } from "./raw-interaction-guard.ts";
import { Responder } from "./respond.ts";
import { GatewaySilentError } from "./startup-failure.ts";

export interface BotOptions {
  config: Pick<BotConfig, "DISCORD_TOKEN" | "DISCORD_API_BASE" | "OWNER_IDS"> &
    Partial<Pick<BotConfig, "NEWS_FEED_URL" | "DIGEST_GRACE_HOURS">>;
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
  };
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
  /** Stops taking interactions, finishes those in flight and the digests being posted, and disconnects. */
  stop: () => Promise<void>;
}

const FLOOD = { repeatWindowMs: 30_000, userBurst: 8, userWindowMs: 10_000 };
const DESTROY_WAIT_MS = 2000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, holder, store, logger, readyTimeoutMs = 60_000 } = options;
  const client = createClient({ apiBase: config.DISCORD_API_BASE, ...options.client });
  const responder = new Responder(client.rest);
  const flood = new FloodControl(FLOOD);
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
  const digest = new DigestRunner({
    store,
    knowledge,
    send: (channelId, payload) => responder.send(channelId, payload),
    readRecent: async (channelId) =>
      (await responder.recentMessages(channelId)).map((message) => ({
        id: message.id,
        authorId: message.author.id,
        content: message.content,
      })),
    botUserId: () => client.user?.id ?? null,
    ...(options.metrics ? { observe: (outcome: PostOutcome) => options.metrics?.digest(outcome) } : {}),
    news,
    logger,
    graceMs: (config.DIGEST_GRACE_HOURS ?? 6) * 3_600_000,
    messageLink: (guildId, channelId, messageId) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`,
    ...(options.digest?.clock ? { clock: options.digest.clock } : {}),
    ...(options.digest?.retry ? { retry: options.digest.retry } : {}),
    ...(options.digest?.storeRetry ? { storeRetry: options.digest.storeRetry } : {}),
  });
  const { metrics } = options;
  if (metrics) store.onWriteError = (kind) => metrics.databaseError(kind);
  const contentServed = () => metrics?.contentServed(holder.knowledge.kb.origin, holder.knowledge.kb.contentDate);
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
  const dispatcher = new Dispatcher({
    registry: createRegistry(options.commands),
    holder,
    responder,
    flood,
    logger,
    ownerIds: new Set(config.OWNER_IDS),
    ...(metrics ? { observe: metrics.interaction.bind(metrics) } : {}),
    services: {
      reload: async () => reload(),
      ...(options.contentSync
        ? {
            contentStatus: () => {
              const sync = options.contentSync!.sync;
              const copy = sync.current();
              return {
                source: sync.source,
                serving: copy
                  ? `commit ${copy.commit.slice(0, 12)} of ${copy.date}`
                  : "the bundled content (no synced copy yet)",
                lastSync: sync.lastResult(),
              };
            },
          }
        : {}),
      digest,
      channels: channelInspector(client),
      autoAnswer: {
        set: (guildId, channelId) => store.setAutoAnswer(guildId, channelId),
        off: (guildId, channelId) => store.removeAutoAnswer(guildId, channelId),
        list: (guildId) => store.listAutoAnswerChannels(guildId),
      },
    },
  });
  client.on("interactionCreate", (interaction) => dispatcher.handle(interaction));
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
  observeGateway(client, logger, (event: GatewayEvent) => options.metrics?.gatewayEvent(event));
  const sweeper = setInterval(() => flood.sweep(), 60_000);
  sweeper.unref();
  // A database file deleted or replaced under the bot is noticed within half a minute and written back.
  const fileCheck = store.checkFile
    ? setInterval(() => checkDatabaseFile(store, logger), options.databaseCheckMs ?? 30_000)
    : undefined;
  fileCheck?.unref();

  const ready = once(client, "clientReady");
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewaySilentError(readyTimeoutMs)), readyTimeoutMs);
    timer.unref();
  });
  const login = client.login(config.DISCORD_TOKEN);
  // Whichever loses the race must not reject later with nobody listening.
  for (const pending of [ready, silent, login]) pending.catch(() => undefined);
  try {
    await Promise.race([login.then(() => Promise.race([ready, silent])), silent]);
  } catch (error) {
    clearInterval(sweeper);
    clearInterval(fileCheck);
    if (syncTimer) clearInterval(syncTimer);
    // A gateway that never answered may never close either: give up on it after a moment.
    await Promise.race([client.destroy().catch(() => undefined), delay(DESTROY_WAIT_MS)]);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  logger.info({ user: client.user?.id, guilds: client.guilds.cache.size }, "ready");
  await digest.start();

  return {
    client,
    dispatcher,
    responder,
    digest,
    reload,
    syncContent,
    stop: async () => {
      await dispatcher.drain();
      await digest.stop();
      clearInterval(sweeper);
      clearInterval(fileCheck);
      if (syncTimer) clearInterval(syncTimer);
      await client.destroy();
    },
  };
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
