import type { GapsReport } from "../answers/gaps-report.ts";
import type { MessageParts } from "../payloads/limits.ts";
import type { GapSettings } from "../store/gaps.ts";

export type { GapsReport };

/** What /digest shows about a server's digest. */
export interface DigestStatus {
  channelId: string;
  time: string;
  timezone: string;
  enabled: boolean;
  disabledReason: string | null;
  lastError: string | null;
  /** The next post in the server's local time, e.g. "2026-11-28 09:00 (Europe/Berlin)". */
  nextPost: string | null;
  lastPost: { localDate: string; link: string | null } | null;
  /** Today's post claimed by an instance that did not finish it (it died, or its send hangs). */
  unfinished: { localDate: string; claimedAt: string } | null;
}

/** The digest operations the /digest command needs; the bot runtime provides them. */
export interface DigestService {
  set(guildId: string, settings: { channelId: string; time: string; timezone: string }): Promise<DigestStatus>;
  off(guildId: string): Promise<boolean>;
  status(guildId: string): Promise<DigestStatus | null>;
  preview(guildId: string): Promise<MessageParts>;
  timezones(typed: string): string[];
}

/** `/gaps`: what a server's members asked that the content did not answer, and answers marked wrong. */
export interface GapsService {
  report(guildId: string, days: number): Promise<GapsReport>;
  settings(guildId: string): Promise<GapSettings>;
  setSettings(guildId: string, settings: GapSettings): Promise<GapSettings>;
  forget(guildId: string): Promise<number>;
  /** The channel the weekly report goes to, or null when it is off. */
  reportChannel(guildId: string): Promise<string | null>;
  setReportChannel(guildId: string, channelId: string | null): Promise<void>;
}

export interface AutoAnswerService {
  set(guildId: string, channelId: string): Promise<void>;
  /** Removes one channel, or all of the server's when none is given; returns how many were removed. */
  off(guildId: string, channelId?: string): Promise<number>;
  list(guildId: string): Promise<string[]>;
}

export type ChannelPermission = "View Channel" | "Send Messages" | "Embed Links" | "Send Messages in Threads";

/** Facts about channels that only the Discord runtime knows. */
export interface ChannelInspector {
  /** The permissions the bot lacks in the channel; null when the channel is unknown to the bot. */
  botMissing(
    guildId: string,
    channelId: string,
    needed: readonly ChannelPermission[],
  ): Promise<ChannelPermission[] | null>;
  kind(channelId: string): "text" | "announcement" | "forum" | "other" | null;
}
