import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  ChannelType,
  type Client,
  PermissionFlagsBits,
  Routes,
} from "discord.js";
import type { ChannelInspector, ChannelPermission } from "../digest/services.ts";
import { channelPermissions } from "./channel-permissions.ts";

const FLAG: Record<ChannelPermission, bigint> = {
  "View Channel": PermissionFlagsBits.ViewChannel,
  "Send Messages": PermissionFlagsBits.SendMessages,
  "Embed Links": PermissionFlagsBits.EmbedLinks,
  "Send Messages in Threads": PermissionFlagsBits.SendMessagesInThreads,
};

const THREAD_TYPES = new Set<number>([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/**
 * Channel facts: from discord.js's cache when the gateway has the server, otherwise (interactions
 * over HTTP, no gateway) from REST: the channel, the server's roles and the bot's member.
 */
export function channelInspector(client: Client, botUserId: () => string | null): ChannelInspector {
  return {
    async botMissing(guildId, channelId, needed) {
      const guild = client.guilds.cache.get(guildId);
      if (!guild) return botMissingOverRest(client, botUserId(), guildId, channelId, needed);
      const channel = guild.channels.cache.get(channelId);
      const me = guild.members.me;
      if (!channel || !me) return null;
      return missingFrom(channel.permissionsFor(me).bitfield, needed);
    },
    kind(channelId) {
      const channel = client.channels.cache.get(channelId);
      if (!channel) return null;
      if (channel.type === ChannelType.GuildText) return "text";
      if (channel.type === ChannelType.GuildAnnouncement) return "announcement";
      if (channel.type === ChannelType.GuildForum) return "forum";
      return "other";
    },
  };
}

function missingFrom(permissions: bigint, needed: readonly ChannelPermission[]): ChannelPermission[] | null {
  if (!(permissions & PermissionFlagsBits.ViewChannel))
    return needed.includes("View Channel") ? ["View Channel"] : null;
  return needed.filter((name) => !(permissions & FLAG[name]));
}

async function botMissingOverRest(
  client: Client,
  botUserId: string | null,
  guildId: string,
  channelId: string,
  needed: readonly ChannelPermission[],
): Promise<ChannelPermission[] | null> {
  if (!botUserId) return null;
  const channel = await fetchOrNull<APIChannel>(client, Routes.channel(channelId));
  // Discord hides a channel the bot cannot view: that is the answer.
  if (!channel) return needed.includes("View Channel") ? ["View Channel"] : null;
  const holder =
    THREAD_TYPES.has(channel.type) && "parent_id" in channel && channel.parent_id
      ? await fetchOrNull<APIChannel>(client, Routes.channel(channel.parent_id))
      : channel;
  const [guild, member] = await Promise.all([
    fetchOrNull<APIGuild>(client, Routes.guild(guildId)),
    fetchOrNull<APIGuildMember>(client, Routes.guildMember(guildId, botUserId)),
  ]);
  if (!holder || !guild || !member) return null;
  const permissions = channelPermissions({
    guildId,
    ownerId: guild.owner_id,
    memberId: botUserId,
    memberRoleIds: member.roles,
    roles: guild.roles,
    overwrites: "permission_overwrites" in holder ? (holder.permission_overwrites ?? []) : [],
  });
  return missingFrom(permissions, needed);
}

async function fetchOrNull<T>(client: Client, route: `/${string}`): Promise<T | null> {
  try {
    return (await client.rest.get(route)) as T;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 403 || status === 404) return null;
    throw error;
  }
}
