import { once } from "node:events";
import type { Client } from "discord.js";
import { type AnyCommand, createRegistry } from "../../commands/index.ts";
import type { BotConfig } from "../config.ts";
import { type ClientSettings, createClient } from "./client.ts";
import { Dispatcher } from "./dispatcher.ts";
import { FloodControl } from "./flood-control.ts";
import type { KnowledgeHolder, ReloadOutcome } from "./knowledge-holder.ts";
import type { Logger } from "./logger.ts";
import { Responder } from "./respond.ts";

export interface BotOptions {
  config: Pick<BotConfig, "DISCORD_TOKEN" | "DISCORD_API_BASE" | "OWNER_IDS">;
  holder: KnowledgeHolder;
  logger: Logger;
  client?: ClientSettings;
  commands?: readonly AnyCommand[];
  /** How long to wait for the gateway before giving up (discord.js itself would retry forever). */
  readyTimeoutMs?: number;
}

export interface RunningBot {
  client: Client;
  dispatcher: Dispatcher;
  responder: Responder;
  reload: () => ReloadOutcome;
  /** Stops taking interactions, finishes those in flight, and closes the connection. */
  stop: () => Promise<void>;
}

const FLOOD = { repeatWindowMs: 30_000, userBurst: 8, userWindowMs: 10_000 };

export async function startBot({
  config,
  holder,
  logger,
  client: settings,
  commands,
  readyTimeoutMs = 60_000,
}: BotOptions): Promise<RunningBot> {
  const client = createClient({ apiBase: config.DISCORD_API_BASE, ...settings });
  const responder = new Responder(client.rest);
  const flood = new FloodControl(FLOOD);
  const reload = (): ReloadOutcome => {
    const outcome = holder.reload();
    if (outcome.ok) logger.info({ summary: outcome.summary }, "content reloaded");
    else logger.error({ errors: outcome.errors }, "content reload failed; still serving the previous content");
    return outcome;
  };
  const dispatcher = new Dispatcher({
    registry: createRegistry(commands),
    holder,
    responder,
    flood,
    logger,
    ownerIds: new Set(config.OWNER_IDS),
    services: { reload: async () => reload() },
  });
  client.on("interactionCreate", (interaction) => dispatcher.handle(interaction));
  client.on("error", (error) => logger.error({ err: error }, "client error"));
  client.on("shardDisconnect", (event, shard) => logger.warn({ code: event.code, shard }, "gateway disconnected"));
  client.on("shardResume", (shard, replayed) => logger.info({ shard, replayed }, "gateway resumed"));
  const sweeper = setInterval(() => flood.sweep(), 60_000);
  sweeper.unref();

  const ready = once(client, "clientReady");
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no READY from the gateway within ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    timer.unref();
  });
  try {
    await client.login(config.DISCORD_TOKEN);
    await Promise.race([ready, timeout]);
  } catch (error) {
    clearInterval(sweeper);
    await client.destroy();
    throw error;
  }
  logger.info({ user: client.user?.id, guilds: client.guilds.cache.size }, "ready");

  return {
    client,
    dispatcher,
    responder,
    reload,
    stop: async () => {
      await dispatcher.drain();
      clearInterval(sweeper);
      await client.destroy();
    },
  };
}
