import { type DigestSettings, type Store, StoreWriteError } from "../store/store.ts";
import type { DigestMessage } from "./message.ts";
import type { Clock, PostingLogger } from "./ports.ts";
import type { PostOutcome } from "./poster.ts";
import { localDate, missedToday, nextRun, scheduledInstant } from "./timing.ts";

export interface DigestSchedulerOptions {
  store: Store;
  /** Builds a server's digest for a day; null when there is nothing to show. */
  compose: (guildId: string, localDate: string) => Promise<DigestMessage | null>;
  /** Posts a built digest once. */
  poster: { post(settings: DigestSettings, message: DigestMessage): Promise<PostOutcome> };
  logger: PostingLogger;
  clock: Clock;
  /** A post missed by less than this (a restart just after the time) is still sent. */
  graceMs: number;
  /** Pauses between tries after a failed database write. */
  storeRetry: { baseDelayMs: number; maxDelayMs: number };
  /** How long another instance's claim is trusted: a claimed day is looked at again once it runs out. */
  claimLeaseMs: number;
  /** With a shared store, how often settings other instances changed are re-read. */
  refreshMs: number;
  /** Told of every post's outcome (the metrics count them). */
  observe?: (outcome: PostOutcome) => void;
}

/**
 * Decides which digests are due and when: a timer per server in its timezone, the posts missed while
 * the bot was down caught up (or recorded as skipped), settings other instances changed picked up
 * (on their change notices and every so often), and a post whose database write failed tried again.
 * With a shared store every instance runs it and the database decides who posts.
 */
export class DigestScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The settings each timer was set from, to notice changes another instance made. */
  private readonly scheduledFrom = new Map<string, string>();
  private refresher: NodeJS.Timeout | null = null;
  private stopWatching: (() => Promise<void>) | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  /** Posts waiting to be tried again after a failed database write. */
  private readonly retries = new Map<string, NodeJS.Timeout>();
  /** Errors that could not be saved (the disk was full): /digest status shows them all the same. */
  private readonly unsaved = new Map<string, string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly options: DigestSchedulerOptions) {}

  /** Catches up today's posts missed within the grace window, records older ones as skipped, and schedules all. */
  async start(): Promise<void> {
    const { store, logger } = this.options;
    const now = this.options.clock.now();
    const catchUps: Promise<unknown>[] = [];
    for (const settings of await store.listEnabledDigests()) {
      const missed = missedToday(now, settings.time, settings.timezone, this.options.graceMs);
      if (missed && "localDate" in missed) catchUps.push(this.track(this.post(settings.guildId, missed.localDate)));
      else if (
        missed &&
        // Set after today's time had passed: nothing was missed, the first post is the next one.
        Date.parse(settings.updatedAt) <= missed.scheduledAt.getTime() &&
        !(await store.getSlot(settings.guildId, missed.skippedDate))
      ) {
        try {
          await store.markSkipped(settings.guildId, missed.skippedDate, "the bot was offline at the scheduled time");
        } catch (error) {
          if (!(error instanceof StoreWriteError)) throw error;
          logger.error({ guildId: settings.guildId, err: error }, "could not record a skipped digest");
        }
        logger.warn(
          { guildId: settings.guildId, localDate: missed.skippedDate },
          "digest skipped: missed by more than the grace window",
        );
      }
      this.scheduleFrom(settings);
    }
    if (store.shared) {
      this.refresher = setInterval(() => this.requestRefresh(), this.options.refreshMs);
      this.refresher.unref();
      // A change made through another instance is seen at once, before its due time; the periodic
      // re-read stays for the moments the notices cannot arrive.
      this.stopWatching =
        (await store
          .watchDigestChanges?.(() => this.requestRefresh())
          .catch((error) => {
            logger.warn({ err: error }, "could not listen for digest changes; re-reading every minute");
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
      const missed = missedToday(this.options.clock.now(), settings.time, settings.timezone, this.options.graceMs);
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

  scheduleFrom(settings: DigestSettings): void {
    const { guildId } = settings;
    this.unschedule(guildId);
    if (!settings.enabled || this.stopped) return;
    const now = this.options.clock.now();
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

  /** Why the server's last post failed when the database could not even record it. */
  unsavedError(guildId: string): string | undefined {
    return this.unsaved.get(guildId);
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

  private async attempt(guildId: string, date: string): Promise<PostOutcome> {
    const settings = await this.options.store.getDigest(guildId);
    if (!settings?.enabled) return "no-digest";
    const message = await this.options.compose(guildId, date);
    if (!message) return "failed";
    const outcome = await this.options.poster.post(settings, message);
    // The channel is gone or closed to the bot: no more posts until an admin sets it again.
    if (outcome === "disabled") this.unschedule(guildId);
    return outcome;
  }

  /**
   * Another instance holds today's claim: look again once its lease has run out, in case it died
   * mid-post. Usually it has marked the day sent by then and the look costs one query.
   */
  private checkBackLater(guildId: string, date: string): void {
    if (!this.stopped) this.postLater(guildId, date, this.options.claimLeaseMs + 1000, 0);
  }

  /** Tries a post again after a pause that doubles each time, while its grace window is open. */
  private async retryLater(guildId: string, date: string, retry: number): Promise<void> {
    const settings = await this.safeSettings(guildId);
    if (!settings || this.stopped) return;
    const closes = scheduledInstant(date, settings.time, settings.timezone).getTime() + this.options.graceMs;
    const { baseDelayMs, maxDelayMs } = this.options.storeRetry;
    const wait = Math.min(baseDelayMs * 2 ** retry, maxDelayMs);
    if (this.options.clock.now().getTime() + wait > closes) {
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

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => {});
    return work;
  }
}
