import { OAuth2Scopes, PermissionFlagsBits } from "discord-api-types/v10";
import { configOrReport, readIdentityConfig } from "../config.ts";
import { applicationIdFromToken } from "./deploy-plan.ts";

/** What the bot needs in a channel: read it, post answers with embeds, and open and post in threads. */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(" "),
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params}`;
}

function main(): number {
  const identity = configOrReport(readIdentityConfig, "npm run invite cannot print the install link");
  if (!identity) return 1;
  const applicationId = identity.DISCORD_APPLICATION_ID ?? applicationIdFromToken(identity.DISCORD_TOKEN ?? "");
  if (!applicationId) {
    console.error('Set DISCORD_APPLICATION_ID (or DISCORD_TOKEN) first: see the README, "Run it on your server".');
    return 1;
  }
  console.log(inviteUrl(applicationId));
  return 0;
}

process.exitCode = main();
