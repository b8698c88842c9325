import { OAuth2Scopes, PermissionFlagsBits } from "discord-api-types/v10";

/** What the bot needs in a channel: read it, post answers with embeds, and open and post in threads. */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

/** The link that adds the bot to a server: the bot user, its commands, and the permissions above. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(" "),
    permissions: BOT_PERMISSIONS.toString(),
    integration_type: "0",
  });
  return `https://discord.com/oauth2/authorize?${params}`;
}

/** The link with which a person installs the app for themselves: its commands wherever they are. */
export function userInstallUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: OAuth2Scopes.ApplicationsCommands,
    integration_type: "1",
  });
  return `https://discord.com/oauth2/authorize?${params}`;
}
