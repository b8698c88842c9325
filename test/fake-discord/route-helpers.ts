/** Checks and side effects shared by several REST routes. */
import { type APIMessage, GatewayIntentBits, MessageFlags } from "discord.js";
import type { FakeChannel } from "./model.ts";
import { type MessageBody, messageCreateEventData, messageDeleteEventData } from "./payloads.ts";
import { hasPermissions, Permission } from "./permissions.ts";
import { errors, RestError } from "./rest-errors.ts";
import type { RestContext } from "./rest-router.ts";

export function param(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`FakeDiscord: route has no :${name}`);
  return value;
}

/**
 * The channel, if the bot may act in it: 404 when it does not exist, 403 Missing Access when the
 * bot cannot see it, 403 Missing Permissions when it lacks `required`.
 */
export function channelForBot(context: RestContext, channelId: string, required: bigint = 0n): FakeChannel {
  const channel = context.world.channels.get(channelId);
  if (!channel || context.world.guilds.get(channel.guildId)?.unavailable) throw errors.unknownChannel();
  const granted = context.world.permissionsOf(context.world.botUserId, channelId);
  if (!hasPermissions(granted, Permission.ViewChannel)) throw errors.missingAccess();
  if (!hasPermissions(granted, required)) throw errors.missingPermissions();
  return channel;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RestError(400, { message: "The request body contains invalid JSON.", code: 50109 });
  }
  return body as Record<string, unknown>;
}

export function messageBody(body: unknown): MessageBody {
  return objectBody(body) as MessageBody;
}

function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

/** Stores a new message where channel history can see it and tells the gateway, as Discord does. */
export function publishMessage(context: RestContext, message: APIMessage, enforcedNonce?: string): void {
  if (isEphemeral(message)) return;
  context.world.addMessage({ message, createdAtMs: Date.now(), ...(enforcedNonce ? { enforcedNonce } : {}) });
  context.gateway.dispatchForIntent(
    "MESSAGE_CREATE",
    messageCreateEventData(context.world, message),
    GatewayIntentBits.GuildMessages,
  );
}

export function publishMessageUpdate(context: RestContext, message: APIMessage): void {
  if (isEphemeral(message)) return;
  const stored = context.world.findMessage(message.channel_id, message.id);
  if (stored) stored.message = message;
  context.gateway.dispatchForIntent(
    "MESSAGE_UPDATE",
    messageCreateEventData(context.world, message),
    GatewayIntentBits.GuildMessages,
  );
}

export function publishMessageDelete(context: RestContext, message: APIMessage): void {
  if (isEphemeral(message)) return;
  context.world.deleteMessage(message.channel_id, message.id);
  context.gateway.dispatchForIntent(
    "MESSAGE_DELETE",
    messageDeleteEventData(context.world, message),
    GatewayIntentBits.GuildMessages,
  );
}
