import { Client, type ClientOptions, GatewayIntentBits, Options, type RESTOptions } from "discord.js";
import { Agent } from "undici";

export interface ClientSettings {
  apiBase?: string | undefined;
  /** Test and bench harnesses shorten these; production keeps discord.js's defaults. */
  rest?: Partial<RESTOptions>;
  waitGuildTimeout?: number;
  /**
   * Gateway shards, all in this process (discord.js's internal sharding): "auto" takes the count
   * GET /gateway/bot recommends, a number N runs shards 0..N-1. Unset: discord.js's default, one shard.
   */
  shards?: "auto" | number | undefined;
}

/**
 * The discord.js client with only what the bot uses: the Guilds intent (no privileged intents),
 * channels and threads cached so interactions know where they are, and nothing else kept: no
 * messages, members, users, presences or emoji pile up in memory.
 */
export function createClient({ apiBase, rest, waitGuildTimeout, shards }: ClientSettings = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    makeCache: Options.cacheWithLimits({
      MessageManager: 0,
      GuildMessageManager: 0,
      UserManager: 0,
      // Only the bot's own member: its roles decide its permissions in each channel.
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      VoiceStateManager: 0,
      GuildEmojiManager: 0,
      BaseGuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      ThreadMemberManager: 0,
      GuildBanManager: 0,
      GuildInviteManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
      GuildForumThreadManager: { maxSize: 1000 },
      GuildTextThreadManager: { maxSize: 1000 },
    }),
    // Nothing the bot sends may ping anyone but whom a reply addresses; payloads set this too.
    allowedMentions: { parse: [], repliedUser: false },
    ...(waitGuildTimeout !== undefined ? { waitGuildTimeout } : {}),
    ...shardOptions(shards),
    rest: {
      // A capped connection pool keeps a backlog from opening connections without bound.
      agent: new Agent({ connections: 256 }),
      // discord.js keeps a rate-limit handler per interaction token for an hour by default: thousands
      // of idle handlers on a busy bot. A token lives 15 minutes; idle handlers go after one.
      handlerSweepInterval: 60_000,
      ...rest,
      // Only set the base when one is given: `api: undefined` would override discord.js's default.
      ...(apiBase ? { api: apiBase } : {}),
    },
  });
}

/** discord.js's options for `shards`; a count becomes the id list [0..N-1] plus the total. */
function shardOptions(shards: ClientSettings["shards"]): Pick<ClientOptions, "shards" | "shardCount"> {
  if (shards === undefined) return {};
  if (shards === "auto") return { shards: "auto" };
  return { shards: Array.from({ length: shards }, (_, id) => id), shardCount: shards };
}
