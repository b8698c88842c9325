import { ChannelType, PermissionFlagsBits } from "discord-api-types/v10";
import { UserFacingError } from "../answers/user-facing-error.ts";
import type { ChannelPermission } from "../digest/services.ts";
import type { CommandContext } from "./definition.ts";

/** Discord hides admin commands from others, but a stale client can still send them: check again. */
export function requireManageServer(context: CommandContext): string {
  if (!context.guildId) throw new UserFacingError("This command works inside a server.");
  const permissions = BigInt(context.memberPermissions ?? "0");
  if ((permissions & PermissionFlagsBits.ManageGuild) !== PermissionFlagsBits.ManageGuild) {
    throw new UserFacingError("You need the **Manage Server** permission to change this.");
  }
  return context.guildId;
}

export const MANAGE_SERVER = PermissionFlagsBits.ManageGuild.toString();

const KIND_OF_TYPE: Partial<Record<ChannelType, "text" | "announcement" | "forum">> = {
  [ChannelType.GuildText]: "text",
  [ChannelType.GuildAnnouncement]: "announcement",
  [ChannelType.GuildForum]: "forum",
};

/**
 * Discord offers only the channel types an option allows, but a modified client can send any: the
 * channel's kind is checked again here (a channel the bot cannot see is left to the permission check).
 */
export function requireChannelType(
  context: CommandContext<"channels">,
  channelId: string,
  allowed: readonly ChannelType[],
): void {
  const kind = context.services.channels.kind(channelId);
  if (kind === null) return;
  const kinds = allowed.map((type) => KIND_OF_TYPE[type]).filter(Boolean);
  if (!kinds.includes(kind as never)) {
    throw new UserFacingError(`<#${channelId}> is not a ${kinds.join(" or ")} channel; pick one of those.`);
  }
}

/** The channel types a post from the bot (a digest, a report) can go to. */
export const POST_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;
const POST_NEEDS: readonly ChannelPermission[] = ["View Channel", "Send Messages", "Embed Links"];

/**
 * The bot can see the channel and has what it needs there to do something (`doing`: "post",
 * "answer posts"); otherwise the admin is told what is missing.
 */
export async function requireBotPermissions(
  context: CommandContext<"channels">,
  guildId: string,
  channelId: string,
  needed: readonly ChannelPermission[],
  doing: string,
): Promise<void> {
  const missing = await context.services.channels.botMissing(guildId, channelId, needed);
  if (missing === null) throw new UserFacingError(`I can't see <#${channelId}>; check that I have View Channel there.`);
  if (missing.length > 0) {
    throw new UserFacingError(
      `I can't ${doing} in <#${channelId}>: I'm missing ${missing.map((name) => `**${name}**`).join(", ")} there.`,
    );
  }
}

/** A channel the bot will post in unprompted: of a type it can post to, and one it has the permissions in. */
export async function requirePostableChannel(context: CommandContext<"channels">, guildId: string, channelId: string) {
  requireChannelType(context, channelId, POST_CHANNEL_TYPES);
  await requireBotPermissions(context, guildId, channelId, POST_NEEDS, "post");
}
