import { REST } from "discord.js";
import { Routes } from "discord-api-types/v10";
import { commandModules } from "../../commands/index.ts";
import { describeStartupFailure } from "../bot/startup-failure.ts";
import { configOrReport, readBotConfig } from "../config.ts";
import { readCliArgs } from "./cli-args.ts";
import { applicationIdFromToken, planDeploy } from "./deploy-plan.ts";

const USAGE = "Usage: npm run -s deploy -- [--prune]";

/**
 * Registers every command with one bulk overwrite: guild-scoped when DISCORD_GUILD_ID is set, else
 * global. Commands left in the other scope show twice in a server; `--prune` removes them.
 */
async function main(): Promise<number> {
  const args = readCliArgs({ options: { prune: { type: "boolean" } } }, USAGE);
  if ("exitCode" in args) return args.exitCode;
  const { values } = args;
  const config = configOrReport(readBotConfig, "npm run deploy cannot register the commands");
  if (!config) return 1;
  const applicationId = config.DISCORD_APPLICATION_ID ?? applicationIdFromToken(config.DISCORD_TOKEN);
  if (!applicationId) {
    console.error(
      "npm run deploy cannot register the commands: set DISCORD_APPLICATION_ID (the Application ID on the developer portal's General Information page).",
    );
    return 1;
  }
  const rest = new REST({
    retries: 2,
    timeout: 15_000,
    ...(config.DISCORD_API_BASE ? { api: config.DISCORD_API_BASE } : {}),
  }).setToken(config.DISCORD_TOKEN);
  try {
    await deploy(rest, applicationId, config.DISCORD_GUILD_ID, values.prune === true);
    return 0;
  } catch (error) {
    console.error(`npm run deploy failed: ${describeStartupFailure(error, config.DISCORD_API_BASE)}`);
    return 1;
  }
}

async function deploy(rest: REST, applicationId: string, guildId: string | undefined, prune: boolean): Promise<void> {
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const wanted = commandModules.map((module) => module.definition);
  const current = (await rest.get(route)) as object[];
  const plan = planDeploy(current, wanted);
  const registered = (await rest.put(route, { body: wanted })) as { name: string; id: string }[];
  const scope = guildId ? `server ${guildId} (instant)` : "all servers (global; may take a while to appear)";
  console.log(`Registered ${registered.length} commands for ${scope}.`);
  for (const [label, names] of [
    ["added", plan.added],
    ["changed", plan.changed],
    ["removed", plan.removed],
    ["unchanged", plan.unchanged],
  ] as const) {
    console.log(`  ${label}: ${names.length ? names.map((name) => `/${name}`).join(", ") : "none"}`);
  }
  // The registration is done: a failure while looking at the other scope is not a failed deploy,
  // and says nothing about DISCORD_API_BASE, which just worked.
  let others: Leftover[];
  try {
    others = guildId ? await globalLeftovers(rest, applicationId) : await guildLeftovers(rest, applicationId);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    console.log(
      `Could not check the other scope for leftover copies (${typeof status === "number" ? `HTTP ${status}` : error instanceof Error ? error.message : String(error)}); the commands above are registered. Run the deploy again later to check.`,
    );
    return;
  }
  if (others.length === 0) return;
  const where = others.map((other) => `${other.label} (${other.count})`).join(", ");
  if (!prune) {
    console.log(
      `Commands are also registered in the other scope: ${where}. They show twice there; run \`npm run deploy -- --prune\` to remove them.`,
    );
    return;
  }
  for (const other of others) await rest.put(other.route, { body: [] });
  console.log(`Pruned the other scope: removed the commands of ${where}.`);
}

interface Leftover {
  label: string;
  route: `/${string}`;
  count: number;
}

/** Deploying to one server: the global commands that would show beside the server's own. */
async function globalLeftovers(rest: REST, applicationId: string): Promise<Leftover[]> {
  const route = Routes.applicationCommands(applicationId);
  const global = (await rest.get(route)) as unknown[];
  return global.length ? [{ label: "global", route, count: global.length }] : [];
}

/** Deploying globally: the servers the bot is in that still hold their own copies from development. */
async function guildLeftovers(rest: REST, applicationId: string): Promise<Leftover[]> {
  const guilds = (await rest.get(Routes.userGuilds(), { query: new URLSearchParams({ limit: "200" }) })) as {
    id: string;
  }[];
  const leftovers: Leftover[] = [];
  for (const guild of guilds) {
    const route = Routes.applicationGuildCommands(applicationId, guild.id);
    const commands = (await rest.get(route)) as unknown[];
    if (commands.length) leftovers.push({ label: `server ${guild.id}`, route, count: commands.length });
  }
  return leftovers;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`npm run deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
