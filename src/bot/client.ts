import { Client, GatewayIntentBits, Options, type RESTOptions } from "discord.js";
import { Agent } from "undici";

export interface ClientSettings {
  apiBase?: string | undefined;
  /** Test and bench harnesses shorten these; production keeps discord.js's defaults. */
  rest?: Partial<RESTOptions>;
  waitGuildTimeout?: number;
}

/**
 * The discord.js client with only what the bot uses: the Guilds intent (no privileged intents),
 * channels and threads cached so interactions know where they are, and nothing else kept: no
 * messages, members, users, presences or emoji pile up in memory.
 */
export function createClient({ apiBase, rest, waitGuildTimeout }: ClientSettings = {}): Client {
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
    rest: {
      // A capped connection pool keeps a backlog from opening connections without bound.
      agent: new Agent({ connections: 256 }),
      ...rest,
      // Only set the base when one is given: `api: undefined` would override discord.js's default.
      ...(apiBase ? { api: apiBase } : {}),
    },
  });
}
