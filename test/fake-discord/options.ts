/** What a test can ask of the fake when starting it. Every field is optional. */
import type { ChannelType } from "discord.js";

export interface FakeDiscordOptions {
  /** Sent in HELLO. Small by default so heartbeat/zombie behaviour shows up within a test. */
  heartbeatIntervalMs?: number;
  /** When set, REST calls and IDENTIFY with another token fail (401 / close 4004). Any token otherwise. */
  botToken?: string;
  /** The gateway accepts connections but never sends HELLO. */
  silentGateway?: boolean;
  /** Guilds in addition to the default one. Each gets @everyone, the bot's role and the bot as member. */
  guilds?: GuildSpec[];
  /** Channels and threads in addition to the defaults; `guildId` defaults to `ids.guild`. */
  channels?: ChannelSpec[];
  /** Users in addition to owner/admin/user; members of `guildIds` (default: the default guild). */
  users?: UserSpec[];
  /** Overwrites applied after all channels exist, e.g. deny the bot Send Messages somewhere. */
  permissionOverwrites?: OverwriteSpec[];
  /** How long `enforce_nonce` deduplicates; Discord only says "a few minutes". Default 3 min. */
  nonceWindowMs?: number;
  /**
   * Answer interaction callbacks later than this with 404 Unknown interaction (10062), as Discord
   * does after 3 s. Off by default so a slow CI machine cannot fail unrelated tests.
   */
  callbackDeadlineMs?: number;
  /**
   * Shards GET /gateway/bot recommends (default 1). Each shard gets only its guilds, by Discord's
   * rule `(guild_id >> 22) % count === shard id` over the count the client identifies with.
   */
  shards?: number;
}

export interface GuildSpec {
  id?: string;
  name?: string;
  /** Defaults to `ids.owner`. */
  ownerId?: string;
  everyonePermissions?: bigint;
  botPermissions?: bigint;
}

export interface ChannelSpec {
  id?: string;
  guildId?: string;
  name: string;
  /** Defaults to a text channel (0). */
  type?: ChannelType;
  /** Required for threads: the channel the thread lives in. */
  parentId?: string;
  topic?: string;
  /** Threads only; defaults to the bot. */
  ownerId?: string;
  /** Threads only; who has joined. Defaults to the owner and the bot. */
  threadMemberIds?: string[];
}

export interface UserSpec {
  id?: string;
  username: string;
  bot?: boolean;
  /** Defaults to `[ids.guild]`. */
  guildIds?: string[];
  /** Gives the user a role with exactly these permissions in each of its guilds. */
  permissions?: bigint;
}

export interface OverwriteSpec {
  channelId: string;
  /** A user or role id; the guild id means @everyone. Defaults to the bot user. */
  targetId?: string;
  /** Inferred from `targetId` when omitted (a role of the guild, else a member). */
  type?: "role" | "member";
  allow?: bigint;
  deny?: bigint;
}
