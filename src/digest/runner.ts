import type { Knowledge } from "../answers/types.ts";
import type { MessageParts } from "../payloads/limits.ts";
import type { Store } from "../store/store.ts";
import { DigestCommandService } from "./command-service.ts";
import { composeDigest } from "./compose.ts";
import type { Clock, PostingLogger, ReadRecent, SendMessage } from "./ports.ts";
import { DigestPoster, type PostOutcome } from "./poster.ts";
import { DigestScheduler } from "./scheduler.ts";
import type { DigestNews } from "./select.ts";
import type { DigestService, DigestStatus } from "./services.ts";

export interface DigestRunnerOptions {
  store: Store;
  knowledge: () => Knowledge;
  send: SendMessage;
  /** Reads the channel before a digest claimed by an earlier run is sent again (see DigestPoster). */
  readRecent?: ReadRecent;
  /** The bot's own user id, to know its messages from others'. */
  botUserId?: () => string | null;
  /** Told of every post's outcome (the metrics count them). */
  observe?: (outcome: PostOutcome) => void;
  news: () => Promise<DigestNews | null>;
  logger: PostingLogger;
  clock?: Clock;
  /** A post missed by less than this (a restart just after the time) is still sent. */
  graceMs?: number;
  retry?: { attempts: number; baseDelayMs: number };
  /** Pauses between tries after a failed database write (default 15 s, doubling to 5 min). */
  storeRetry?: { baseDelayMs: number; maxDelayMs: number };
  /** Link to a posted message, when the runtime knows how to build one. */
  messageLink?: (guildId: string, channelId: string, messageId: string) => string;
  /**
   * With a shared store, how long another instance's claim on a day is trusted before it is taken
   * over (it died mid-post); the nonce still stops a double post. Default 20 s.
   */
  claimLeaseMs?: number;
  /** With a shared store, how often settings other instances changed are re-read (default 60 s). */
  refreshMs?: number;
}

const DEFAULT_GRACE_MS = 6 * 60 * 60 * 1000;
const DEFAULT_CLAIM_LEASE_MS = 20_000;
const DEFAULT_REFRESH_MS = 60_000;

/**
 * The daily digest, put together from its parts: the scheduler decides what is due, the message is
 * composed from the content and the server's history, the poster makes each day exactly-once, and
 * the command service answers /digest. This is what the bot starts, stops, and hands to /digest.
 */
export class DigestRunner implements DigestService {
  private readonly poster: DigestPoster;
  private readonly scheduler: DigestScheduler;
  private readonly service: DigestCommandService;
  private readonly store: Store;

  constructor(options: DigestRunnerOptions) {
    const { store } = options;
    this.store = store;
    const clock = options.clock ?? { now: () => new Date() };
    // One process: any claim found was left by an earlier run. Shared: it may be another live instance's.
    const claimLeaseMs = store.shared ? (options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS) : 0;
    const compose = (guildId: string, localDate: string) => composeDigest(options, guildId, localDate);
    this.poster = new DigestPoster({
      store,
      send: options.send,
      ...(options.readRecent ? { readRecent: options.readRecent } : {}),
      ...(options.botUserId ? { botUserId: options.botUserId } : {}),
      logger: options.logger,
      retry: options.retry ?? { attempts: 4, baseDelayMs: 2000 },
      claimLeaseMs,
    });
    this.scheduler = new DigestScheduler({
      store,
      compose,
      poster: this.poster,
      logger: options.logger,
      clock,
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      storeRetry: options.storeRetry ?? { baseDelayMs: 15_000, maxDelayMs: 5 * 60_000 },
      claimLeaseMs,
      refreshMs: options.refreshMs ?? DEFAULT_REFRESH_MS,
      ...(options.observe ? { observe: options.observe } : {}),
    });
    this.service = new DigestCommandService({
      store,
      clock,
      compose,
      schedule: this.scheduler,
      claimLeaseMs,
      ...(options.messageLink ? { messageLink: options.messageLink } : {}),
    });
  }

  start(): Promise<void> {
    return this.scheduler.start();
  }

  /** Finishes the posts under way, giving up their retries, and sets no more timers. */
  async stop(): Promise<void> {
    this.poster.stop();
    await this.scheduler.stop();
  }

  /** Picks up digests other instances set, changed or turned off since the last look. */
  refresh(): Promise<void> {
    return this.scheduler.refresh();
  }

  /** Posts the digest for one server and local date now, at most once (see DigestScheduler.post). */
  post(guildId: string, localDate: string): Promise<PostOutcome> {
    return this.scheduler.post(guildId, localDate);
  }

  /** The server left (or was deleted): its settings and history go with it. */
  async forgetGuild(guildId: string): Promise<void> {
    this.scheduler.unschedule(guildId);
    await this.store.forgetGuild(guildId);
  }

  set(guildId: string, settings: { channelId: string; time: string; timezone: string }): Promise<DigestStatus> {
    return this.service.set(guildId, settings);
  }

  off(guildId: string): Promise<boolean> {
    return this.service.off(guildId);
  }

  status(guildId: string): Promise<DigestStatus | null> {
    return this.service.status(guildId);
  }

  preview(guildId: string): Promise<MessageParts> {
    return this.service.preview(guildId);
  }

  timezones(typed: string): string[] {
    return this.service.timezones(typed);
  }
}
