import { type Client, Events } from "discord.js";
import type { Logger } from "./logger.ts";

/** What the gateway connection went through, for the log and the metrics. */
export type GatewayEvent = "disconnect" | "resume" | "session-lost" | "reidentify" | "closed";

/**
 * One log line for every change in the gateway connection, at the level it deserves, and a count of
 * each: a disconnect Discord lets us recover from (warn), a resume with the events it replayed (info),
 * a session Discord invalidated, whose events in between are lost for good (warn), the new session
 * that follows (info), and a close the client will not recover from (error).
 */
export function observeGateway(
  client: Client,
  logger: Logger,
  count: (event: GatewayEvent) => void = () => {},
  /** True once the bot is stopping: the disconnect that follows is ours, not a fault. */
  stopping: () => boolean = () => false,
): void {
  let readyOnce = false;
  client.on(Events.ShardReconnecting, (shard) => {
    if (stopping()) {
      logger.debug({ shard }, "gateway closed for shutdown");
      return;
    }
    count("disconnect");
    logger.warn({ shard }, "gateway disconnected; reconnecting");
  });
  client.on(Events.ShardResume, (shard, replayed) => {
    count("resume");
    logger.info({ shard, replayed }, "gateway resumed");
  });
  client.on(Events.ShardReady, (shard) => {
    if (!readyOnce) {
      readyOnce = true;
      return;
    }
    count("reidentify");
    logger.info({ shard }, "gateway re-identified: a new session");
  });
  client.on(Events.ShardDisconnect, (event, shard) => {
    count("closed");
    logger.error({ shard, code: event.code }, "gateway closed and will not reconnect; check DISCORD_TOKEN and intents");
  });
  client.on(Events.Debug, (message) => {
    // @discordjs/ws says "Invalid session; will attempt to resume: false" when the session is gone.
    const invalid = /Invalid session; will attempt to resume: (true|false)/.exec(message);
    if (!invalid) return;
    if (invalid[1] === "false") {
      count("session-lost");
      logger.warn(
        { notReplayed: "unknown" },
        "gateway session lost: interactions and events Discord sent while disconnected will not be replayed",
      );
    } else {
      logger.info("gateway session invalidated; resuming");
    }
  });
}
