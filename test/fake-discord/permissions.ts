/**
 * Discord's permission algorithm (base permissions from roles, then channel overwrites in the order
 * @everyone, roles, member), so `app_permissions`, `member.permissions` and the REST 403s the fake
 * returns agree with what discord.js computes from the cached guild.
 */
import { ChannelType, PermissionFlagsBits } from "discord.js";
import type { FakeChannel, FakeGuild } from "./model.ts";

export const Permission = PermissionFlagsBits;

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** Roughly what a new server gives @everyone. */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.SendMessagesInThreads |
  Permission.CreatePublicThreads |
  Permission.CreatePrivateThreads |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.AddReactions |
  Permission.UseExternalEmojis |
  Permission.ReadMessageHistory |
  Permission.UseApplicationCommands |
  Permission.CreateInstantInvite |
  Permission.ChangeNickname |
  Permission.Connect |
  Permission.Speak;

/** What a typical invite link for a Q&A bot grants its managed role. */
export const DEFAULT_BOT_PERMISSIONS: bigint =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.SendMessagesInThreads |
  Permission.CreatePublicThreads |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.UseApplicationCommands;

/** Without Send Messages, Discord also withholds these, whatever the roles say. */
const IMPLIED_BY_SEND_MESSAGES =
  Permission.MentionEveryone | Permission.SendTTSMessages | Permission.AttachFiles | Permission.EmbedLinks;

export function basePermissions(guild: FakeGuild, userId: string): bigint {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  const member = guild.members.get(userId);
  let permissions = guild.roles.get(guild.id)?.permissions ?? 0n;
  for (const roleId of member?.roleIds ?? []) {
    permissions |= guild.roles.get(roleId)?.permissions ?? 0n;
  }
  return permissions & Permission.Administrator ? ALL_PERMISSIONS : permissions;
}

/**
 * Permissions of `userId` in `channel`. Threads use their parent's overwrites; a private thread is
 * invisible to non-members unless they can manage threads.
 */
export function channelPermissions(
  guild: FakeGuild,
  userId: string,
  channel: FakeChannel,
  parent: FakeChannel | undefined,
): bigint {
  const base = basePermissions(guild, userId);
  if (base & Permission.Administrator) return ALL_PERMISSIONS;

  const overwriteSource = channel.thread ? (parent ?? channel) : channel;
  let permissions = applyOverwrites(guild, userId, overwriteSource, base);

  if (!(permissions & Permission.ViewChannel)) return 0n;
  if (
    channel.type === ChannelType.PrivateThread &&
    !channel.thread?.memberIds.has(userId) &&
    !(permissions & Permission.ManageThreads)
  ) {
    return 0n;
  }
  if (!channel.thread && !(permissions & Permission.SendMessages)) {
    permissions &= ~IMPLIED_BY_SEND_MESSAGES;
  }
  return permissions;
}

function applyOverwrites(guild: FakeGuild, userId: string, channel: FakeChannel, base: bigint): bigint {
  let permissions = base;
  const everyone = channel.overwrites.find((overwrite) => overwrite.id === guild.id);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;

  const memberRoles = new Set(guild.members.get(userId)?.roleIds ?? []);
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of channel.overwrites) {
    if (overwrite.type === 0 && memberRoles.has(overwrite.id)) {
      roleAllow |= overwrite.allow;
      roleDeny |= overwrite.deny;
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;

  const memberOverwrite = channel.overwrites.find((overwrite) => overwrite.type === 1 && overwrite.id === userId);
  if (memberOverwrite) permissions = (permissions & ~memberOverwrite.deny) | memberOverwrite.allow;
  return permissions;
}

export function hasPermissions(granted: bigint, required: bigint): boolean {
  return (granted & required) === required;
}
