import { UserFacingError } from "../answers/user-facing-error.ts";
import type { MessageParts } from "../payloads/limits.ts";
import type { DigestSettings, Store } from "../store/store.ts";
import type { DigestMessage } from "./message.ts";
import type { Clock } from "./ports.ts";
import type { DigestService, DigestStatus } from "./services.ts";
import { canonicalTimezone, formatLocal, localDate, nextRun, parseLocalTime, timezoneSuggestions } from "./timing.ts";

/** A claim this old with no message recorded is reported as unfinished in /digest status. */
const UNFINISHED_AFTER_MS = 60_000;

export interface DigestCommandServiceOptions {
  store: Store;
  clock: Clock;
  /** Builds a server's digest for a day, for the preview. */
  compose: (guildId: string, localDate: string) => Promise<DigestMessage | null>;
  /** The scheduler, told when settings change here, and holding errors the database could not keep. */
  schedule: {
    scheduleFrom(settings: DigestSettings): void;
    unschedule(guildId: string): void;
    unsavedError(guildId: string): string | undefined;
  };
  /** How long another instance's claim is trusted (0 with one process). */
  claimLeaseMs: number;
  /** Link to a posted message, when the runtime knows how to build one. */
  messageLink?: (guildId: string, channelId: string, messageId: string) => string;
}

/** What `/digest` does: set, off, status, preview, and the timezones offered while typing. */
export class DigestCommandService implements DigestService {
  constructor(private readonly options: DigestCommandServiceOptions) {}

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
    this.options.schedule.scheduleFrom(saved);
    return (await this.status(guildId))!;
  }

  async off(guildId: string): Promise<boolean> {
    this.options.schedule.unschedule(guildId);
    return this.options.store.turnOffDigest(guildId);
  }

  async status(guildId: string): Promise<DigestStatus | null> {
    const { store, clock } = this.options;
    const settings = await store.getDigest(guildId);
    if (!settings) return null;
    const last = await store.lastSentSlot(guildId);
    const now = clock.now();
    const today = await store.getSlot(guildId, localDate(now, settings.timezone));
    // A claim older than its lease (and older than a send takes) was left by an instance that did not finish.
    const stale =
      today?.state === "claimed" &&
      now.getTime() - Date.parse(today.claimedAt) > Math.max(this.options.claimLeaseMs, UNFINISHED_AFTER_MS);
    return {
      channelId: settings.channelId,
      time: settings.time,
      timezone: settings.timezone,
      enabled: settings.enabled,
      disabledReason: settings.enabled ? null : settings.disabledReason,
      lastError: this.options.schedule.unsavedError(guildId) ?? settings.lastError,
      nextPost: settings.enabled
        ? formatLocal(nextRun(settings.time, settings.timezone, clock.now()), settings.timezone)
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
    const built = await this.options.compose(guildId, localDate(this.options.clock.now(), timezone));
    if (!built) throw new UserFacingError("There is nothing to put in a digest yet.");
    return built.parts;
  }

  timezones(typed: string): string[] {
    return timezoneSuggestions(typed);
  }
}
