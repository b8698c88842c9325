import { gapsReportMarker, renderGapsReport } from "../payloads/render/gaps.ts";
import { reply } from "../payloads/reply.ts";
import type { GapQueries, ReportChannel } from "../store/gaps.ts";
import { findOwnMessage, freshNonce } from "./exactly-once.ts";
import type { Clock, PostingLogger, ReadRecent, SendMessage } from "./ports.ts";

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: Monday 1970-01-05 starts the first whole UTC week. */
const FIRST_MONDAY_MS = 4 * DAY_MS;
const DEFAULT_CHECK_EVERY_MS = 10 * 60_000;
const DEFAULT_CLAIM_LEASE_MS = 60_000;

export type ReportOutcome =
  | "sent"
  | "already-sent"
  | "found-posted"
  | "unverified"
  | "claimed-elsewhere"
  | "channel-gone"
  | "failed";

export interface WeeklyGapReportOptions {
  gaps: GapQueries;
  send: SendMessage;
  /** Reads the channel before a report claimed by a stopped instance is sent again (see the digest). */
  readRecent?: ReadRecent;
  botUserId?: () => string | null;
  logger: PostingLogger;
  clock?: Clock;
  /** How often the owed reports are looked for (default 10 minutes). */
  checkEveryMs?: number;
  /** With a shared store, how long another instance's unfinished claim is trusted (default 60 s). */
  claimLeaseMs?: number;
  /** One process: any claim found was left by an earlier run, and is taken over at once. */
  shared: boolean;
}

/** The last whole week (Monday to Sunday, UTC) before `now`: its first instant and its key. */
export function lastWholeWeek(now: number): { start: number; end: number; key: string } {
  const end = now - ((((now - FIRST_MONDAY_MS) % WEEK_MS) + WEEK_MS) % WEEK_MS);
  const start = end - WEEK_MS;
  return { start, end, key: new Date(start).toISOString().slice(0, 10) };
}

/**
 * The weekly gaps report, posted to the channel a server's admins chose: once per week whatever the
 * number of instances, through the same steps as the digest (a claim the database decides, a send
 * with a nonce Discord enforces, the channel's history read before a stopped instance's claim is
 * finished, then the week recorded as sent). Each week's report covers that week, Monday to Sunday UTC.
 */
export class WeeklyGapReport {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly clock: Clock;
  private readonly leaseMs: number;

  constructor(private readonly options: WeeklyGapReportOptions) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.leaseMs = options.shared ? (options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS) : 0;
  }

  start(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), this.options.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Posts every report owed for the last whole week; one check at a time. */
  check(): Promise<void> {
    this.running ??= this.postOwed()
      .catch((error) => this.options.logger.warn({ err: error }, "could not post the weekly gaps reports"))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async postOwed(): Promise<void> {
    const week = lastWholeWeek(this.clock.now().getTime());
    for (const channel of await this.options.gaps.reportChannels()) {
      if (this.stopped) return;
      // Turned on after the week ended: its first report is the next week's.
      if (channel.since >= week.end) continue;
      await this.post(channel, week);
    }
  }

  async post(channel: ReportChannel, week: { start: number; end: number; key: string }): Promise<ReportOutcome> {
    const { gaps, logger } = this.options;
    const { guildId, channelId } = channel;
    const claim = await gaps.claimReport(
      guildId,
      week.key,
      freshNonce("g", week.key),
      this.clock.now().getTime(),
      this.leaseMs,
    );
    if (claim.status === "sent") return "already-sent";
    if (claim.status === "in-progress") return "claimed-elsewhere";
    if (claim.status === "claimed-before") {
      const earlier = await this.findPosted(guildId, channelId, week.key);
      if (earlier !== "not-found") return earlier;
    }
    const [gapCounts, wrong, settings] = await Promise.all([
      gaps.topGaps(guildId, week.start, 10, week.end),
      gaps.topWrong(guildId, week.start, 5, week.end),
      gaps.settings(guildId),
    ]);
    const parts = renderGapsReport({ days: 7, gaps: gapCounts, wrong, keepText: settings.keepText, week: week.key });
    try {
      const message = await this.options.send(channelId, { ...reply(parts), nonce: claim.nonce, enforce_nonce: true });
      await gaps.markReportSent(guildId, week.key, message.id, this.clock.now().getTime());
      logger.info({ guildId, week: week.key, messageId: message.id }, "weekly gaps report posted");
      return "sent";
    } catch (error) {
      const status = (error as { status?: unknown })?.status;
      if (status === 403 || status === 404) {
        // The channel is gone or closed to the bot: stop reporting there until an admin picks another.
        await gaps.setReportChannel(guildId, null, this.clock.now().getTime());
        logger.warn({ guildId, channelId, status }, "weekly gaps report turned off: the channel cannot be posted in");
        return "channel-gone";
      }
      // The claim stays: the next check after its lease tries again.
      logger.error({ guildId, week: week.key, err: error }, "weekly gaps report not posted");
      return "failed";
    }
  }

  private async findPosted(
    guildId: string,
    channelId: string,
    week: string,
  ): Promise<"found-posted" | "unverified" | "not-found"> {
    const { readRecent, botUserId, gaps, logger } = this.options;
    if (!readRecent) return "not-found";
    try {
      const found = await findOwnMessage({ readRecent, botUserId }, channelId, gapsReportMarker(week));
      if (!found) return "not-found";
      await gaps.markReportSent(guildId, week, found.id, this.clock.now().getTime());
      return "found-posted";
    } catch (error) {
      logger.warn({ guildId, week, err: error }, "weekly gaps report not re-sent: channel history unreadable");
      return "unverified";
    }
  }
}
