import { ChannelType, type Client, PermissionFlagsBits } from "discord.js";
import type { ChannelInspector, ChannelPermission } from "../digest/services.ts";

const FLAG: Record<ChannelPermission, bigint> = {
  "View Channel": PermissionFlagsBits.ViewChannel,
  "Send Messages": PermissionFlagsBits.SendMessages,
  "Embed Links": PermissionFlagsBits.EmbedLinks,
  "Send Messages in Threads": PermissionFlagsBits.SendMessagesInThreads,
};

/** Channel facts from discord.js's cache: the bot's own permissions (roles and overwrites) and channel kinds. */
export function channelInspector(client: Client): ChannelInspector {
  return {
    botMissing(guildId, channelId, needed) {
      const guild = client.guilds.cache.get(guildId);
      const channel = guild?.channels.cache.get(channelId);
      const me = guild?.members.me;
      if (!channel || !me) return null;
      const permissions = channel.permissionsFor(me);
      if (!permissions.has(PermissionFlagsBits.ViewChannel))
        return needed.includes("View Channel") ? ["View Channel"] : null;
      return needed.filter((name) => !permissions.has(FLAG[name]));
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
