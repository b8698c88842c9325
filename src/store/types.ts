import type { GapQueries } from "./gaps.ts";
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

/** An entry a digest showed, to record with its day. */
export interface ShownRecord {
  kind: string;
  entryId: string;
}

export interface FeedState {
  etag: string | null;
  lastModified: string | null;
  /** Epoch milliseconds. */
  fetchedAt: number;
  body: string;
}

/** A slot claim held by another instance that is still inside its lease: that instance is posting. */
export type SlotClaimOrBusy = SlotClaim | { status: "in-progress"; claimedAt: string };

export type StoreEngine = "sqlite" | "postgres";

/**
 * Where the first copy of an answer is: its message id when known, else the token of the interaction
 * that posted it (its reply can be looked up for 15 minutes); both null while it is being sent.
 */
export interface PostedCopy {
  messageId: string | null;
  interactionToken: string | null;
}

export type AnswerClaimResult = { status: "claimed" } | ({ status: "posted" } & PostedCopy);

export type WriteFailureKind = "disk-full" | "io" | "unreachable" | "other";

export type PingResult = { ok: true } | { ok: false; error: string };

export type FileCheck =
  | { status: "ok" }
  | { status: "restored"; problem: "deleted" | "replaced" | "overwritten"; movedAside: string | null }
  | { status: "lost"; problem: "deleted" | "replaced" | "overwritten"; error: string };

/**
 * Everything the bot remembers, behind one interface for both engines: SQLite in a file for one
 * process, PostgreSQL for several. Every claim is decided by the database (a unique key or a
 * conditional update), so it holds across processes as well as within one.
 */
export interface Store {
  readonly engine: StoreEngine;
  /** The file, or the server URL without its password: for messages and the log. */
  readonly location: string;
  /** True when other processes may use the same data (PostgreSQL): the digest scheduler then re-reads settings. */
  readonly shared: boolean;
  /** Told of every failed write (the metrics count them by kind). */
  onWriteError?: (kind: WriteFailureKind) => void;

  schemaVersion(): Promise<number>;
  ping(): Promise<PingResult>;
  close(): Promise<void>;
  /** SQLite only: puts the database file back when it was deleted or replaced under the bot. */
  checkFile?(): FileCheck;

  getDigest(guildId: string): Promise<DigestSettings | null>;
  listEnabledDigests(): Promise<DigestSettings[]>;
  /** Creates or replaces the guild's digest and turns it on, clearing any earlier reason or error. */
  setDigest(input: DigestSettingsInput): Promise<DigestSettings>;
  /** Someone turned it off: no reason to show. */
  turnOffDigest(guildId: string): Promise<boolean>;
  /** The bot turned it off because it cannot post (channel gone, permission missing). */
  disableDigest(guildId: string, reason: string): Promise<boolean>;
  /**
   * The bot cannot post a day's digest (channel gone, permission missing): turns the digest off and
   * records the day as skipped, for the same reason, in one transaction.
   */
  disableDigestFrom(guildId: string, localDate: string, reason: string): Promise<void>;
  recordDigestError(guildId: string, message: string): Promise<boolean>;

  /**
   * Claims the guild's digest for a local date, or says what became of an earlier claim. A claim
   * younger than `leaseMs` is "in-progress" (another instance is posting it); an older one is taken
   * over ("claimed-before", with its nonce) by exactly one caller. A lease of 0 takes over any claim.
   */
  claimSlot(guildId: string, localDate: string, nonce: string, leaseMs?: number): Promise<SlotClaimOrBusy>;
  /** Records the posted message; false when the slot was already marked sent (the first message stays). */
  markSent(guildId: string, localDate: string, messageId: string): Promise<boolean>;
  /**
   * Records the posted message and the entries it showed in one transaction, so a failed write leaves
   * neither; false (and nothing recorded) when the slot was already marked sent.
   */
  recordSent(guildId: string, localDate: string, messageId: string, shown: readonly ShownRecord[]): Promise<boolean>;
  /** Records that the day was skipped; false when the slot was already sent or skipped. */
  markSkipped(guildId: string, localDate: string, reason: string): Promise<boolean>;
  getSlot(guildId: string, localDate: string): Promise<DigestSlot | null>;
  lastSentSlot(guildId: string): Promise<SentSlot | null>;

  /** Remembers that an entry was shown; showing it again moves it to the newest date. */
  recordShown(guildId: string, kind: string, entryId: string, localDate: string): Promise<void>;
  /** Least recently shown first. */
  listShown(guildId: string, kind: string): Promise<ShownEntry[]>;

  setAutoAnswer(guildId: string, channelId: string): Promise<void>;
  /** Removes one channel, or all of the guild's when no channel is given; returns how many. */
  removeAutoAnswer(guildId: string, channelId?: string): Promise<number>;
  isAutoAnswerChannel(channelId: string): Promise<boolean>;
  listAutoAnswerChannels(guildId: string): Promise<string[]>;
  /** True only for the first call for a thread, so a thread is answered once across restarts and instances. */
  claimThreadAnswer(threadId: string, guildId: string): Promise<boolean>;
  /** Gaps in the content and answers marked wrong (one SQL for both engines). */
  readonly gaps: GapQueries;
  /** True only the first time an interaction id is seen, on any instance: a replayed request is not answered. */
  markInteractionSeen(interactionId: string, now: number): Promise<boolean>;
  /** Forgets ids seen before `cutoff` (ms), once a replay of them would be refused as stale anyway. */
  forgetInteractionsBefore(cutoff: number): Promise<void>;

  getFeedState(url: string): Promise<FeedState | null>;
  saveFeedState(url: string, state: FeedState): Promise<void>;
  /**
   * Claims the next request for a feed (epoch ms): true for one caller once `minIntervalMs` has
   * passed since the last, so several instances fetch the feed once between them.
   */
  claimFeedFetch(url: string, now: number, minIntervalMs: number): Promise<boolean>;

  /**
   * Claims a channel for an answer (epoch ms): "claimed" for the first asker within `windowMs`; the
   * others get the copy already posted (its message id, or null while it is still being sent).
   */
  claimAnswer(channelId: string, key: string, now: number, windowMs: number): Promise<AnswerClaimResult>;
  /** Records where the claimed answer went. */
  settleAnswer(channelId: string, key: string, copy: PostedCopy): Promise<void>;
  /** Sending the claimed answer failed: the next asker posts it. */
  releaseAnswer(channelId: string, key: string): Promise<void>;
  /** Forgets answer claims older than the cutoff (epoch ms). */
  forgetAnswersBefore(cutoff: number): Promise<void>;

  /**
   * With a shared store: calls `onChange` soon after any instance changes digest settings, and
   * returns how to stop. Absent where one process owns the store.
   */
  watchDigestChanges?(onChange: () => void): Promise<() => Promise<void>>;

  /** Deletes every row of the guild (the bot left it); returns how many. */
  forgetGuild(guildId: string): Promise<number>;
}
