export interface DigestSettings {
  guildId: string;
  channelId: string;
  /** Local "HH:MM". */
  time: string;
  /** IANA timezone name. */
  timezone: string;
  enabled: boolean;
  /** Why the bot turned the digest off itself (missing channel or permission); null when a person did. */
  disabledReason: string | null;
  lastError: string | null;
  /** ISO 8601. */
  updatedAt: string;
}

export interface DigestSettingsInput {
  guildId: string;
  channelId: string;
  time: string;
  timezone: string;
}

export type SlotState = "claimed" | "sent" | "skipped";

export interface DigestSlot {
  guildId: string;
  /** "YYYY-MM-DD" in the guild's timezone. */
  localDate: string;
  nonce: string | null;
  state: SlotState;
  messageId: string | null;
  reason: string | null;
  claimedAt: string;
  sentAt: string | null;
}

/**
 * The outcome of claiming a day's digest. "claimed-before" means an earlier attempt claimed the day
 * but never recorded a sent message: it may or may not have reached Discord, so the caller retries
 * with the same nonce and lets Discord drop the duplicate.
 */
export type SlotClaim =
  | { status: "claimed"; nonce: string }
  | { status: "claimed-before"; nonce: string }
  | { status: "sent"; messageId: string }
  | { status: "skipped"; reason: string };

export interface SentSlot {
  localDate: string;
  messageId: string;
  sentAt: string;
}

export interface ShownEntry {
  entryId: string;
  localDate: string;
}

export interface FeedState {
  etag: string | null;
  lastModified: string | null;
  /** Epoch milliseconds. */
  fetchedAt: number;
  body: string;
}
