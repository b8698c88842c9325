import { randomBytes } from "node:crypto";
import type { Knowledge } from "../answers/types.ts";
import { UserFacingError } from "../answers/user-facing-error.ts";
import type { MessageParts } from "../payloads/limits.ts";
import { digestMarker, renderDigest } from "../payloads/render/digest.ts";
import { type ReplyPayload, reply } from "../payloads/reply.ts";
import { type DigestSettings, type Store, StoreWriteError } from "../store/store.ts";
import { type DigestNews, type DigestSelection, selectDigest } from "./select.ts";
import type { DigestService, DigestStatus } from "./services.ts";
import {
  canonicalTimezone,
  formatLocal,
  localDate,
  missedToday,
  nextRun,
  parseLocalTime,
  scheduledInstant,
  timezoneSuggestions,
} from "./timing.ts";

export interface Clock {
  now(): Date;
}

interface RunnerLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export type SendMessage = (
  channelId: string,
  payload: ReplyPayload & { nonce: string; enforce_nonce: true },
) => Promise<{ id: string }>;

/** The channel's recent messages by anyone: their id, author and text. */
export type ReadRecent = (channelId: string) => Promise<{ id: string; authorId: string; content: string }[]>;

export interface DigestRunnerOptions {
  store: Store;
  knowledge: () => Knowledge;
  send: SendMessage;
  /**
   * Reads the channel before a digest claimed by an earlier run is sent again: Discord remembers a
   * nonce for minutes only, so after a longer outage the message itself is the proof it was posted.
   */
  readRecent?: ReadRecent;
  /** The bot's own user id, to know its messages from others'. */
  botUserId?: () => string | null;
  /** Told of every post's outcome (the metrics count them). */
  observe?: (outcome: PostOutcome) => void;
  news: () => Promise<DigestNews | null>;
  logger: RunnerLogger;
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

export type PostOutcome =
  | "sent"
  | "already-sent"
  | "found-posted"
  | "unverified"
  | "skipped"
  | "disabled"
  | "failed"
  | "no-digest"
  | "claimed-elsewhere";

const DEFAULT_GRACE_MS = 6 * 60 * 60 * 1000;
const DEFAULT_CLAIM_LEASE_MS = 20_000;
/** A claim this old with no message recorded is reported as unfinished in /digest status. */
const UNFINISHED_AFTER_MS = 60_000;
const DEFAULT_REFRESH_MS = 60_000;

/**
 * Posts each server's daily digest exactly once per local date: the slot is claimed in the database
 * before sending, the message carries a nonce Discord enforces (a retry after a crash returns the
 * message already posted), and the slot is then marked sent. Timers fire in each server's timezone.
 * With a shared store every instance runs the scheduler and the database decides who posts.
 */
export class DigestRunner implements DigestService {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The settings each timer was set from, to notice changes another instance made. */
  private readonly scheduledFrom = new Map<string, string>();
  private refresher: NodeJS.Timeout | null = null;
  private stopWatching: (() => Promise<void>) | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private readonly claimLeaseMs: number;
  /** Posts waiting to be tried again after a failed database write. */
  private readonly retries = new Map<string, NodeJS.Timeout>();
  /** Errors that could not be saved (the disk was full): /digest status shows them all the same. */
  private readonly unsaved = new Map<string, string>();
  private readonly storeRetry: { baseDelayMs: number; maxDelayMs: number };
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly clock: Clock;
  private readonly graceMs: number;
  private readonly retry: { attempts: number; baseDelayMs: number };
  private stopped = false;

  constructor(private readonly options: DigestRunnerOptions) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.retry = options.retry ?? { attempts: 4, baseDelayMs: 2000 };
    this.storeRetry = options.storeRetry ?? { baseDelayMs: 15_000, maxDelayMs: 5 * 60_000 };
    // One process: any claim found was left by an earlier run. Shared: it may be another live instance's.
    this.claimLeaseMs = options.store.shared ? (options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS) : 0;
  }

  /** Catches up today's posts missed within the grace window, records older ones as skipped, and schedules all. */
  async start(): Promise<void> {
    const now = this.clock.now();
    const catchUps: Promise<unknown>[] = [];
    for (const settings of await this.options.store.listEnabledDigests()) {
      const missed = missedToday(now, settings.time, settings.timezone, this.graceMs);
      if (missed && "localDate" in missed) catchUps.push(this.track(this.post(settings.guildId, missed.localDate)));
      else if (
        missed &&
        // Set after today's time had passed: nothing was missed, the first post is the next one.
        Date.parse(settings.updatedAt) <= missed.scheduledAt.getTime() &&
        !(await this.options.store.getSlot(settings.guildId, missed.skippedDate))
      ) {
        try {
          await this.options.store.markSkipped(
            settings.guildId,
            missed.skippedDate,
            "the bot was offline at the scheduled time",
          );
        } catch (error) {
          if (!(error instanceof StoreWriteError)) throw error;
          this.options.logger.error({ guildId: settings.guildId, err: error }, "could not record a skipped digest");
        }
        this.options.logger.warn(
          { guildId: settings.guildId, localDate: missed.skippedDate },
          "digest skipped: missed by more than the grace window",
        );
      }
      this.scheduleFrom(settings);
    }
    if (this.options.store.shared) {
      this.refresher = setInterval(() => this.requestRefresh(), this.options.refreshMs ?? DEFAULT_REFRESH_MS);
      this.refresher.unref();
      // A change made through another instance is seen at once, before its due time; the periodic
      // re-read stays for the moments the notices cannot arrive.
      this.stopWatching =
        (await this.options.store
          .watchDigestChanges?.(() => this.requestRefresh())
          .catch((error) => {
            this.options.logger.warn({ err: error }, "could not listen for digest changes; re-reading every minute");
            return null;
          })) ?? null;
    }
    await Promise.allSettled(catchUps);
  }

  /** One re-read at a time: a request during one runs another after it, with what changed since. */
  private requestRefresh(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = this.refresh()
      .catch((error) => this.options.logger.warn({ err: error }, "could not re-read digest settings"))
      .finally(() => {
        this.refreshing = null;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          this.requestRefresh();
        }
      });
  }

  /** Picks up digests other instances set, changed or turned off since the last look. */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    const enabled = await this.options.store.listEnabledDigests();
    const current = new Set(enabled.map((settings) => settings.guildId));
    for (const guildId of [...this.timers.keys()]) if (!current.has(guildId)) this.unschedule(guildId);
    for (const settings of enabled) {
      if (this.scheduledFrom.get(settings.guildId) === settings.updatedAt) continue;
      // Settings learnt after their time today had passed (set through an instance that then died at
      // the due time): today's post is still owed within the grace window. Posting is exactly-once,
      // so a post the other instance made, or a claim it still holds, is respected.
      const missed = missedToday(this.clock.now(), settings.time, settings.timezone, this.graceMs);
      if (settings.enabled && missed && "localDate" in missed)
        void this.track(this.post(settings.guildId, missed.localDate));
      this.scheduleFrom(settings);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.refresher) clearInterval(this.refresher);
    await this.stopWatching?.();
    await this.refreshing;
    for (const timer of [...this.timers.values(), ...this.retries.values()]) clearTimeout(timer);
    this.timers.clear();
    this.retries.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  async schedule(guildId: string): Promise<void> {
    const settings = await this.options.store.getDigest(guildId);
    if (settings) this.scheduleFrom(settings);
    else this.unschedule(guildId);
  }

  private scheduleFrom(settings: DigestSettings): void {
    const { guildId } = settings;
    this.unschedule(guildId);
    if (!settings.enabled || this.stopped) return;
    const now = this.clock.now();
    const at = nextRun(settings.time, settings.timezone, now);
    const timer = setTimeout(
      () => {
        this.timers.delete(guildId);
        const date = localDate(at, settings.timezone);
        void this.track(this.post(guildId, date))
          .finally(() => this.schedule(guildId))
          .catch((error) => this.options.logger.error({ guildId, err: error }, "digest could not be rescheduled"));
      },
      Math.max(0, at.getTime() - now.getTime()),
    );
    timer.unref();
    this.timers.set(guildId, timer);
    this.scheduledFrom.set(guildId, settings.updatedAt);
  }

  unschedule(guildId: string): void {
    const timer = this.timers.get(guildId);
    if (timer) clearTimeout(timer);
    this.timers.delete(guildId);
    this.scheduledFrom.delete(guildId);
  }

  /** The server left (or was deleted): its settings and history go with it. */
  async forgetGuild(guildId: string): Promise<void> {
    this.unschedule(guildId);
    await this.options.store.forgetGuild(guildId);
  }

  /**
   * Posts the digest for one server and local date, at most once whatever happens. When the database
   * cannot be written (a full disk), the admin sees why in /digest status, and the post is tried again
   * with growing pauses until its grace window closes: once space returns it goes out, no restart needed.
   */
  async post(guildId: string, date: string, retry = 0): Promise<PostOutcome> {
    let outcome: PostOutcome;
    try {
      outcome = await this.attempt(guildId, date);
      if (outcome === "sent" || outcome === "found-posted") this.unsaved.delete(guildId);
      if (outcome === "claimed-elsewhere") this.checkBackLater(guildId, date);
    } catch (error) {
      if (!(error instanceof StoreWriteError)) throw error;
      outcome = "failed";
      this.unsaved.set(guildId, `the ${date} digest could not be posted: ${error.message}; I will try again`);
      this.options.logger.error(
        { guildId, localDate: date, err: error, kind: error.kind },
        "digest not posted: database write failed",
      );
      await this.retryLater(guildId, date, retry);
    }
    this.options.observe?.(outcome);
    return outcome;
  }

  /**
   * Another instance holds today's claim: look again once its lease has run out, in case it died
   * mid-post. Usually it has marked the day sent by then and the look costs one query.
   */
  private checkBackLater(guildId: string, date: string): void {
    if (!this.stopped) this.postLater(guildId, date, this.claimLeaseMs + 1000, 0);
  }

  /** Tries a post again after a pause that doubles each time, while its grace window is open. */
  private async retryLater(guildId: string, date: string, retry: number): Promise<void> {
    const settings = await this.safeSettings(guildId);
    if (!settings || this.stopped) return;
    const closes = scheduledInstant(date, settings.time, settings.timezone).getTime() + this.graceMs;
    const wait = Math.min(this.storeRetry.baseDelayMs * 2 ** retry, this.storeRetry.maxDelayMs);
    if (this.clock.now().getTime() + wait > closes) {
      this.unsaved.set(
        guildId,
        `the ${date} digest was not posted: the database could not be written until its time had passed`,
      );
      return;
    }
    this.postLater(guildId, date, wait, retry + 1);
  }

  /** One post waiting to be tried again per server; a newer wait replaces an older one. */
  private postLater(guildId: string, date: string, waitMs: number, retry: number): void {
    clearTimeout(this.retries.get(guildId));
    const timer = setTimeout(() => {
      this.retries.delete(guildId);
      void this.track(this.post(guildId, date, retry));
    }, waitMs);
    timer.unref();
    this.retries.set(guildId, timer);
  }

  /** The server's settings, or null when even reading fails. */
  private async safeSettings(guildId: string): Promise<DigestSettings | null> {
    try {
      return await this.options.store.getDigest(guildId);
    } catch {
      return null;
    }
  }

  private async attempt(guildId: string, date: string): Promise<PostOutcome> {
    const { store, logger } = this.options;
    const settings = await store.getDigest(guildId);
    if (!settings?.enabled) return "no-digest";
    const nonce = `d${date.replaceAll("-", "")}${randomBytes(6).toString("hex")}`;
    const claim = await store.claimSlot(guildId, date, nonce, this.claimLeaseMs);
    if (claim.status === "sent") return "already-sent";
    if (claim.status === "skipped") return "skipped";
    if (claim.status === "in-progress") return "claimed-elsewhere";
    if (claim.status === "claimed-before") {
      const earlier = await this.findPosted(guildId, settings.channelId, date);
      if (earlier !== "not-found") return earlier;
    }
    const built = await this.build(guildId, date);
    if (!built) return "failed";
    const payload = { ...reply(built.parts), nonce: claim.nonce, enforce_nonce: true as const };
    for (let attempt = 1; ; attempt++) {
      try {
        const message = await this.options.send(settings.channelId, payload);
        await store.markSent(guildId, date, message.id);
        for (const shown of built.shown) await store.recordShown(guildId, shown.kind, shown.entryId, date);
        logger.info(
          { guildId, localDate: date, messageId: message.id, retried: claim.status === "claimed-before" },
          "digest posted",
        );
        return "sent";
      } catch (error) {
        const status = statusOf(error);
        if (status === 403 || status === 404) {
          const reason =
            status === 403
              ? `I lost permission to post in <#${settings.channelId}> (Discord said: ${messageOf(error)})`
              : `the channel <#${settings.channelId}> no longer exists (Discord said: ${messageOf(error)})`;
          await store.disableDigest(guildId, reason);
          await store.markSkipped(guildId, date, reason);
          this.unschedule(guildId);
          logger.warn({ guildId, status, reason }, "digest disabled");
          return "disabled";
        }
        if (attempt >= this.retry.attempts || this.stopped) {
          await store.recordDigestError(guildId, `posting on ${date} failed: ${messageOf(error)}`);
          logger.error({ guildId, localDate: date, err: error, attempts: attempt }, "digest post failed");
          return "failed";
        }
        await delay(this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  /**
   * An earlier run claimed this day and may have posted before it stopped: look for the bot's own
   * digest for the date in the channel, and record it rather than post twice. When the history
   * cannot be read, nothing is posted and the admin is told why.
   */
  private async findPosted(
    guildId: string,
    channelId: string,
    date: string,
  ): Promise<"found-posted" | "unverified" | "not-found"> {
    const { store, logger, readRecent, botUserId } = this.options;
    if (!readRecent) return "not-found";
    const marker = digestMarker(date);
    try {
      const me = botUserId?.() ?? null;
      const found = (await readRecent(channelId)).find(
        (message) => message.content.startsWith(marker) && (me === null || message.authorId === me),
      );
      if (!found) return "not-found";
      await store.markSent(guildId, date, found.id);
      logger.info({ guildId, localDate: date, messageId: found.id }, "digest found already posted; recorded it");
      return "found-posted";
    } catch (error) {
      const reason = `I could not check <#${channelId}>'s history for the ${date} digest (Discord said: ${messageOf(error)}), so I did not post it again; give me **Read Message History** there`;
      await store.recordDigestError(guildId, reason);
      logger.warn({ guildId, localDate: date, err: error }, "digest not re-sent: channel history unreadable");
      return "unverified";
    }
  }

  private async build(
    guildId: string,
    date: string,
  ): Promise<{ parts: MessageParts; shown: DigestSelection["shown"] } | null> {
    const { store } = this.options;
    const { kb } = this.options.knowledge();
    const selection = selectDigest({
      kb,
      guildId,
      localDate: date,
      shownTerms: await store.listShown(guildId, "term"),
      shownSpotlights: await store.listShown(guildId, "spotlight"),
      lastDigestDate: (await store.lastSentSlot(guildId))?.localDate ?? null,
      news: await this.options.news().catch(() => null),
    });
    return selection ? { parts: renderDigest(selection, kb), shown: selection.shown } : null;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => {});
    return work;
  }

  // --- DigestService: what /digest needs ------------------------------------------------------

  async set(guildId: string, settings: { channelId: string; time: string; timezone: string }): Promise<DigestStatus> {
    if (!parseLocalTime(settings.time))
      throw new UserFacingError(`"${settings.time}" is not a time; use HH:MM, 24-hour (e.g. 09:00).`);
    const timezone = canonicalTimezone(settings.timezone);
    if (!timezone)
      throw new UserFacingError(
        `"${settings.timezone}" is not a timezone I know; pick one from the list (e.g. Europe/Berlin).`,
      );
    const saved = await this.options.store.setDigest({
      guildId,
      channelId: settings.channelId,
      time: settings.time,
      timezone,
    });
    this.scheduleFrom(saved);
    return (await this.status(guildId))!;
  }

  async off(guildId: string): Promise<boolean> {
    this.unschedule(guildId);
    return this.options.store.turnOffDigest(guildId);
  }

  async status(guildId: string): Promise<DigestStatus | null> {
    const { store } = this.options;
    const settings = await store.getDigest(guildId);
    if (!settings) return null;
    const last = await store.lastSentSlot(guildId);
    const now = this.clock.now();
    const today = await store.getSlot(guildId, localDate(now, settings.timezone));
    // A claim older than its lease (and older than a send takes) was left by an instance that did not finish.
    const stale =
      today?.state === "claimed" &&
      now.getTime() - Date.parse(today.claimedAt) > Math.max(this.claimLeaseMs, UNFINISHED_AFTER_MS);
    return {
      channelId: settings.channelId,
      time: settings.time,
      timezone: settings.timezone,
      enabled: settings.enabled,
      disabledReason: settings.enabled ? null : settings.disabledReason,
      lastError: this.unsaved.get(guildId) ?? settings.lastError,
      nextPost: settings.enabled
        ? formatLocal(nextRun(settings.time, settings.timezone, this.clock.now()), settings.timezone)
        : null,
      lastPost: last
        ? {
            localDate: last.localDate,
            link: this.options.messageLink?.(guildId, settings.channelId, last.messageId) ?? null,
          }
        : null,
      unfinished: stale && today ? { localDate: today.localDate, claimedAt: today.claimedAt } : null,
    };
  }

  async preview(guildId: string): Promise<MessageParts> {
    const timezone = (await this.options.store.getDigest(guildId))?.timezone ?? "UTC";
    const date = localDate(this.clock.now(), timezone);
    const built = await this.build(guildId, date);
    if (!built) throw new UserFacingError("There is nothing to put in a digest yet.");
    return built.parts;
  }

  timezones(typed: string): string[] {
    return timezoneSuggestions(typed);
  }

  /** When today's post for a server is due, in its timezone (for tests and status). */
  async todaysSlot(guildId: string): Promise<Date | null> {
    const settings = await this.options.store.getDigest(guildId);
    return settings
      ? scheduledInstant(localDate(this.clock.now(), settings.timezone), settings.time, settings.timezone)
      : null;
  }
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown })?.status;
  return typeof status === "number" ? status : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
