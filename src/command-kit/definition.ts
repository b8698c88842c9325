import type { APIApplicationCommandOptionChoice, ChannelType } from "discord-api-types/v10";
import {
  ApplicationCommandOptionType,
  type ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
} from "discord-api-types/v10";
import type { Knowledge } from "../answers/types.ts";
import type { AutoAnswerService, ChannelInspector, DigestService, GapsService } from "../digest/services.ts";
import type { ReplyPayload } from "../payloads/reply.ts";

/** A command option as Discord's registration JSON has it (read-only, so definitions can be `as const`). */
export interface OptionDefinition {
  readonly name: string;
  readonly description: string;
  readonly type: ApplicationCommandOptionType;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly channel_types?: readonly ChannelType[];
  readonly choices?: readonly {
    readonly name: string;
    readonly value: string | number;
  }[];
  readonly options?: readonly OptionDefinition[];
}

/** A command's registration JSON: a slash command, or a message command. */
export interface CommandDefinition {
  readonly name: string;
  readonly description: string;
  /** A slash command (ChatInput, the default) or a message command (Message: "Apps" on a message). */
  readonly type?: ApplicationCommandType;
  readonly options?: readonly OptionDefinition[];
  readonly default_member_permissions?: string | null;
  /** Where it can be used: servers, the bot's DM, group DMs. */
  readonly contexts?: readonly InteractionContextType[];
  /** Installed by a server, or by a user (usable wherever that user is). */
  readonly integration_types?: readonly ApplicationIntegrationType[];
}

/** Lookups work anywhere: installed by a server or by a user, in servers, the bot's DM and group DMs. */
export const EVERYWHERE = {
  integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
} as const;
/** Admin and owner commands: only where a server installed the bot, only in servers. */
export const SERVER_ONLY = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
} as const;

type ValueOf<T extends ApplicationCommandOptionType> = T extends ApplicationCommandOptionType.Boolean
  ? boolean
  : T extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : string;

type OptionsFrom<Options extends readonly OptionDefinition[]> = {
  [O in Options[number] as O["type"] extends ApplicationCommandOptionType.Subcommand
    ? never
    : O["name"]]: O["required"] extends true ? ValueOf<O["type"]> : ValueOf<O["type"]> | undefined;
};

type SubcommandsOf<Options extends readonly OptionDefinition[]> = Extract<
  Options[number],
  { type: ApplicationCommandOptionType.Subcommand }
>;

/**
 * The parsed options of a command, typed from its definition: required options are present,
 * others may be undefined; users and channels arrive as their ids. A command with subcommands gets
 * a union, one member per subcommand, told apart by `subcommand`.
 */
export type OptionsOf<D extends CommandDefinition> = D["options"] extends readonly OptionDefinition[]
  ? [SubcommandsOf<D["options"]>] extends [never]
    ? OptionsFrom<D["options"]>
    : {
        [S in SubcommandsOf<D["options"]> as S["name"]]: {
          subcommand: S["name"];
        } & (S["options"] extends readonly OptionDefinition[] ? OptionsFrom<S["options"]> : Record<never, never>);
      }[SubcommandsOf<D["options"]>["name"]]
  : Record<never, never>;

/** What a handler knows about the person and place it answers, and the services it declared. */
export interface CommandContext<S extends ServiceName = never> {
  knowledge: Knowledge;
  userId: string;
  guildId: string | null;
  channelId: string | null;
  /** The owners listed in OWNER_IDS may run operator commands. */
  isOwner: boolean;
  /** The member's permissions in the channel, as Discord's bitfield string; null outside a server. */
  memberPermissions: string | null;
  /** The bot's own permissions in the channel, as Discord's bitfield string; null when unknown. */
  appPermissions: string | null;
  /** For a message command: the message it was used on. */
  targetMessage?: { id: string; content: string; authorId: string };
  /** Exactly the services the command declared in `needs`: checked before it runs, never absent. */
  services: ServicesOf<S>;
}

/** The bot's content, for owners: reloading it, and where it comes from. */
export interface ContentService {
  reload(): Promise<{ ok: true; summary: string } | { ok: false; errors: string[] }>;
  /** Where the content comes from and how the last sync went; null without a content sync. */
  status(): { source: string; serving: string; lastSync: { at: string; result: string } | null } | null;
}

/**
 * Operations that reach outside the pure answer path. The bot runtime provides them all; the
 * terminal preview none. A command declares the ones it uses (`needs`) and receives only those.
 */
export interface CommandServices {
  content: ContentService;
  digest: DigestService;
  autoAnswer: AutoAnswerService;
  gaps: GapsService;
  channels: ChannelInspector;
}

export type ServiceName = keyof CommandServices;
export type ServicesOf<S extends ServiceName> = Pick<CommandServices, S>;

export interface CommandResult {
  reply: ReplyPayload;
  /** Open a public thread on the posted answer, with this name. */
  thread?: { name: string };
  /** Identifies the answer for flood control: the same key in one channel is not posted twice in a row. */
  dedupeKey?: string;
  /** The question was not answered (an abstention, a decline, an unknown name): recorded as a gap. */
  gap?: { kind: string; missing: string; question: string | null };
}

export type Choice = APIApplicationCommandOptionChoice<string>;

export interface FocusedOption {
  name: string;
  value: string;
}

export type Deferral = "ephemeral" | "public";

export interface CommandModule<D extends CommandDefinition = CommandDefinition, S extends ServiceName = never> {
  definition: D;
  /** The services the command uses: checked before it runs (one message when one is missing), then given to it. */
  needs?: readonly S[];
  /** The option a component (a did-you-mean pick, a related-entry button) fills with an entry id. */
  primaryOption?: string;
  /** The option a detail button fills with the view it asks for ("clauses", "full"). */
  viewOption?: string;
  /** Acknowledge first and answer later: for work that may outlast Discord's 3-second window. */
  defer?: Deferral | ((options: OptionsOf<D>) => Deferral | null);
  run(context: CommandContext<S>, options: OptionsOf<D>): CommandResult | Promise<CommandResult>;
  autocomplete?(context: CommandContext<S>, focused: FocusedOption): Choice[] | Promise<Choice[]>;
}

/**
 * Ties a module to its definition's literal type, so `run` receives options typed from it, and to
 * the services it names in `needs`, so `run` receives those and no others.
 */
export function defineCommand<const D extends CommandDefinition, const S extends ServiceName = never>(
  module: CommandModule<D, S>,
): CommandModule<D, S> {
  return module;
}

/** The searched option of a lookup: free text with autocomplete, answered by canonical id. */
export function lookupOption<const Name extends string>(name: Name, description: string) {
  return {
    name,
    description,
    type: ApplicationCommandOptionType.String,
    required: true,
    autocomplete: true,
    max_length: 200,
  } as const;
}

// The options every lookup shares.
export const hideOption = {
  name: "hide",
  description: "Only you see the answer",
  type: ApplicationCommandOptionType.Boolean,
} as const;

export const mentionOption = {
  name: "mention",
  description: "Address the answer to someone (only they are pinged)",
  type: ApplicationCommandOptionType.User,
} as const;

/** Which detail of an entry to show instead of its first screen; the detail buttons set it. */
export function detailsOption<const Choices extends readonly { readonly name: string; readonly value: string }[]>(
  choices: Choices,
) {
  return {
    name: "details",
    description: "Show a detail instead of the short card",
    type: ApplicationCommandOptionType.String,
    choices,
  } as const;
}
