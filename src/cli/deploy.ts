import { REST } from "discord.js";
import { Routes } from "discord-api-types/v10";
import { commandModules } from "../../commands/index.ts";
import { configOrReport, readBotConfig } from "../config.ts";
import { applicationIdFromToken, planDeploy } from "./deploy-plan.ts";

/** Registers every command with one bulk overwrite: guild-scoped when DISCORD_GUILD_ID is set, else global. */
async function main(): Promise<number> {
  const config = configOrReport(readBotConfig);
  if (!config) return 1;
  const applicationId = config.DISCORD_APPLICATION_ID ?? applicationIdFromToken(config.DISCORD_TOKEN);
  if (!applicationId) {
    console.error(
      "Set DISCORD_APPLICATION_ID (the Application ID on the developer portal's General Information page).",
    );
    return 1;
  }
  const rest = new REST({
    retries: 2,
    timeout: 15_000,
    ...(config.DISCORD_API_BASE ? { api: config.DISCORD_API_BASE } : {}),
  }).setToken(config.DISCORD_TOKEN);
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(applicationId, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(applicationId);
  const wanted = commandModules.map((module) => module.definition);
  const current = (await rest.get(route)) as object[];
  const plan = planDeploy(current, wanted);
  const registered = (await rest.put(route, { body: wanted })) as { name: string; id: string }[];
  const scope = config.DISCORD_GUILD_ID
    ? `server ${config.DISCORD_GUILD_ID} (instant)`
    : "all servers (global; may take a while to appear)";
  console.log(`Registered ${registered.length} commands for ${scope}.`);
  for (const [label, names] of [
    ["added", plan.added],
    ["changed", plan.changed],
    ["removed", plan.removed],
    ["unchanged", plan.unchanged],
  ] as const) {
    console.log(`  ${label}: ${names.length ? names.map((name) => `/${name}`).join(", ") : "none"}`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`Deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
