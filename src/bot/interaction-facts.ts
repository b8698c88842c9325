import {
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  DiscordAPIError,
  type Interaction,
  type MessageComponentInteraction,
  type MessageContextMenuCommandInteraction,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from "discord.js";
import type { CommandContext } from "../command-kit/definition.ts";
import type { RawOptions } from "../command-kit/options.ts";
import type { FailedInteraction } from "./failure-reply.ts";
import type { KnowledgeHolder } from "./knowledge-holder.ts";
import type { Place } from "./reply-plan.ts";
import type { InteractionHandle } from "./respond.ts";

/** What the dispatcher reads off a discord.js interaction: the only place it looks into one. */

/** The interactions the dispatcher answers with a command's result. */
export type AnsweredInteraction =
  | ChatInputCommandInteraction
  | MessageComponentInteraction
  | MessageContextMenuCommandInteraction;

export function handleOf(interaction: BaseInteraction): InteractionHandle {
  return { id: interaction.id, token: interaction.token, applicationId: interaction.applicationId };
}

/** What a handler knows about the person and place, without services (the command's own are added to it). */
export function contextOf(
  interaction: BaseInteraction,
  holder: KnowledgeHolder,
  ownerIds: ReadonlySet<string>,
): CommandContext {
  return {
    knowledge: holder.knowledge,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    isOwner: ownerIds.has(interaction.user.id),
    memberPermissions: interaction.memberPermissions?.bitfield.toString() ?? null,
    appPermissions: interaction.appPermissions?.bitfield.toString() ?? null,
    services: {},
  };
}

/** Where the interaction was used, as the reply plan needs it. */
export function placeOf(interaction: AnsweredInteraction): Place {
  // Where the bot is not a member (installed by a user, or a DM) it knows nothing of the channel.
  const botPresent = interaction.inCachedGuild() || installedInServer(interaction);
  const permissions = interaction.appPermissions;
  return {
    guildId: interaction.guildId,
    channelId: botPresent ? interaction.channelId : null,
    botPresent,
    inThread: interaction.channel?.isThread() ?? false,
    canCreateThreads: !permissions || permissions.has(PermissionFlagsBits.CreatePublicThreads),
  };
}

/** Who and where, for the log line of a failure. */
export function failedInteraction(interaction: BaseInteraction): FailedInteraction {
  return {
    interactionId: interaction.id,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    ...(interaction.isChatInputCommand() ? { command: interaction.commandName } : {}),
  };
}

/**
 * Installed to the server the interaction came from (not only to the user): what an interaction
 * over HTTP says of itself, where no gateway cache knows the server.
 */
function installedInServer(interaction: BaseInteraction): boolean {
  const owners = interaction.authorizingIntegrationOwners as Partial<Record<ApplicationIntegrationType, string>> | null;
  return Boolean(interaction.guildId) && owners?.[ApplicationIntegrationType.GuildInstall] === interaction.guildId;
}

/** Discord's answer for an interaction that expired (or was already answered) before we replied. */
export function isUnknownInteraction(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction;
}

/** A button, menu or modal that arrived without its data (mended to an empty custom id). */
export function isBlankComponent(interaction: Interaction): boolean {
  return (interaction.isMessageComponent() || interaction.isModalSubmit()) && interaction.customId === "";
}

/** The option being typed in, or null when a malformed interaction has none. */
export function focusedOption(interaction: AutocompleteInteraction): { name: string; value: string | number } | null {
  try {
    return interaction.options.getFocused(true);
  } catch {
    return null;
  }
}

/** A slash command's options by name, its subcommand's flattened in. */
export function rawOptions(data: readonly CommandInteractionOption[]): RawOptions {
  const raw: RawOptions = {};
  for (const option of data) {
    if (option.type === ApplicationCommandOptionType.Subcommand) {
      raw.subcommand = option.name;
      Object.assign(raw, rawOptions(option.options ?? []));
    } else {
      raw[option.name] = option.value;
    }
  }
  return raw;
}
