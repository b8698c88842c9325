import { ChannelType, PermissionFlagsBits } from "discord-api-types/v10";
import { UserFacingError } from "../answers/user-facing-error.ts";
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
export function requireChannelType(context: CommandContext, channelId: string, allowed: readonly ChannelType[]): void {
  const kind = context.services.channels?.kind(channelId);
  if (kind === null || kind === undefined) return;
  const kinds = allowed.map((type) => KIND_OF_TYPE[type]).filter(Boolean);
  if (!kinds.includes(kind as never)) {
    throw new UserFacingError(`<#${channelId}> is not a ${kinds.join(" or ")} channel; pick one of those.`);
  }
}
