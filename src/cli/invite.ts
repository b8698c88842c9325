import { configOrReport, readIdentityConfig } from "../config.ts";
import { applicationIdFromToken } from "./deploy-plan.ts";
import { inviteUrl, userInstallUrl } from "./install-links.ts";

function main(): number {
  const identity = configOrReport(readIdentityConfig, "npm run invite cannot print the install link");
  if (!identity) return 1;
  const applicationId = identity.DISCORD_APPLICATION_ID ?? applicationIdFromToken(identity.DISCORD_TOKEN ?? "");
  if (!applicationId) {
    console.error('Set DISCORD_APPLICATION_ID (or DISCORD_TOKEN) first: see the README, "Run it on your server".');
    return 1;
  }
  console.log(`Add to a server (bot and commands):\n${inviteUrl(applicationId)}`);
  console.log(`Install for yourself (commands in any server, DM or group DM):\n${userInstallUrl(applicationId)}`);
  return 0;
}

process.exitCode = main();
