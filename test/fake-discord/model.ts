/**
 * The fake's internal state model. Plain data only; the JSON Discord sends is built from it in
 * payloads.ts, so a field's wire format is decided in exactly one place.
 */
import type { APIApplicationCommand, APIMessage, ChannelType } from "discord.js";

export interface FakeUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  /** True for the role Discord creates for a bot when it joins ("integration" role). */
  managed: boolean;
}

export interface FakeMember {
  userId: string;
  roleIds: string[];
  joinedAt: string;
  nick: string | null;
}

export const OverwriteType = { Role: 0, Member: 1 } as const;
export type OverwriteTypeValue = (typeof OverwriteType)[keyof typeof OverwriteType];

export interface FakeOverwrite {
  /** Role id (the guild id is the @everyone role) or user id. */
  id: string;
  type: OverwriteTypeValue;
  allow: bigint;
  deny: bigint;
}

export interface FakeThreadState {
  ownerId: string;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: 60 | 1440 | 4320 | 10080;
  createdAt: string;
  /** Who has joined the thread; for private threads this also decides who can see it. */
  memberIds: Set<string>;
  appliedTags: string[];
  messageCount: number;
}

export interface FakeChannel {
  id: string;
  guildId: string;
  type: ChannelType;
  name: string;
  position: number;
  /** Category for channels, parent channel for threads. */
  parentId: string | null;
  topic: string | null;
  nsfw: boolean;
  rateLimitPerUser: number;
  overwrites: FakeOverwrite[];
  lastMessageId: string | null;
  /** Present only on threads (types 10, 11, 12). */
  thread?: FakeThreadState;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  /** Keyed by role id; the @everyone role has the guild's id. */
  roles: Map<string, FakeRole>;
  /** Keyed by user id. */
  members: Map<string, FakeMember>;
  createdAt: string;
  /** Set by `guildDelete(id, { unavailable: true })`: an outage, not a removal. */
  unavailable: boolean;
}

export interface StoredMessage {
  message: APIMessage;
  /** Only set when the sender asked Discord to deduplicate (`enforce_nonce: true`). */
  enforcedNonce?: string;
  createdAtMs: number;
}

export type InteractionKind = "chatInput" | "autocomplete" | "component" | "modalSubmit" | "raw";

export interface InteractionRecord {
  id: string;
  token: string;
  kind: InteractionKind;
  /** InteractionType on the wire (2 command, 3 component, 4 autocomplete, 5 modal). */
  type: number;
  commandName?: string;
  guildId: string | null;
  channelId: string | null;
  userId: string;
  dispatchedAtMs: number;
  /** The callback type the bot answered with (4 reply, 5 defer, 6, 7, 8 choices, 9 modal). */
  callbackType?: number;
  /** For components: the message the button/select belongs to, which type 6/7 callbacks edit. */
  sourceMessage?: APIMessage;
  original?: APIMessage;
  followUps: APIMessage[];
}

export type StoredCommand = APIApplicationCommand;
