/**
 * Interaction callbacks and the interaction webhook (editReply, followUp, fetchReply, deleteReply).
 * Each interaction is answered once; later messages go through /webhooks/{application}/{token}.
 */
import { type APIMessage, ChannelType, InteractionResponseType, MessageFlags, MessageType } from "discord.js";
import type { FakeChannel, InteractionRecord } from "./model.ts";
import {
  editedMessagePayload,
  interactionCallbackResponsePayload,
  type MessageBody,
  messagePayload,
} from "./payloads.ts";
import { errors, invalidFormBody } from "./rest-errors.ts";
import {
  json,
  noContent,
  type RestContext,
  type RestRequest,
  type RestResult,
  type RestRouter,
} from "./rest-router.ts";
import {
  messageBody,
  objectBody,
  param,
  publishMessage,
  publishMessageDelete,
  publishMessageUpdate,
} from "./route-helpers.ts";
import { autocompleteChoicesProblem, messageBodyProblem } from "./validation.ts";

const ALLOWED_CALLBACKS: Record<InteractionRecord["kind"], number[] | null> = {
  chatInput: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  autocomplete: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  component: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  modalSubmit: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
  /** Hand-built payloads: the fake cannot know what the test meant, so it accepts any answer. */
  raw: null,
};

export function addInteractionRoutes(router: RestRouter): void {
  const tokenAuth = { needsBotToken: false };
  router.add("POST", "/interactions/:interactionId/:token/callback", callback, tokenAuth);
  router.add("POST", "/webhooks/:applicationId/:token", followUp, tokenAuth);
  router.add("GET", "/webhooks/:applicationId/:token/messages/:messageId", fetchWebhookMessage, tokenAuth);
  router.add("PATCH", "/webhooks/:applicationId/:token/messages/:messageId", editWebhookMessage, tokenAuth);
  router.add("DELETE", "/webhooks/:applicationId/:token/messages/:messageId", deleteWebhookMessage, tokenAuth);
}

function callback(request: RestRequest, context: RestContext): RestResult {
  const record = context.world.interactions.get(param(request.params, "interactionId"));
  if (!record || record.token !== param(request.params, "token")) throw errors.unknownInteraction();
  const deadline = context.callbackDeadlineMs;
  if (deadline !== undefined && Date.now() - record.dispatchedAtMs > deadline) throw errors.unknownInteraction();
  if (record.callbackType !== undefined) throw errors.alreadyAcknowledged();

  const body = objectBody(request.body);
  const type = Number(body.type);
  const allowed = ALLOWED_CALLBACKS[record.kind];
  if (allowed && !allowed.includes(type)) {
    throw invalidFormBody([
      { path: ["type"], code: "BASE_TYPE_CHOICES", message: `Value must be one of ${JSON.stringify(allowed)}.` },
    ]);
  }
  const data = (body.data ?? {}) as MessageBody & { choices?: unknown };
  const message = respond(context, record, type, data, request);
  record.callbackType = type;

  if (request.query.with_response === "true") {
    return json(200, interactionCallbackResponsePayload(record, type, message));
  }
  return noContent;
}

/** Applies one callback to the interaction's state; returns the message it created or changed. */
function respond(
  context: RestContext,
  record: InteractionRecord,
  type: number,
  data: MessageBody & { choices?: unknown },
  request: RestRequest,
): APIMessage | undefined {
  const { world } = context;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const problem = messageBodyProblem(data, request.files, true, ["data"]);
      if (problem) throw problem;
      record.original = interactionMessage(context, record, data, request);
      publishMessage(context, record.original);
      return record.original;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource:
      // The "Stackbot is thinking..." placeholder shown until the bot edits @original.
      record.original = interactionMessage(context, record, { content: "", flags: data.flags ?? 0 }, request, {
        systemFlags: MessageFlags.Loading,
      });
      publishMessage(context, record.original);
      return record.original;
    case InteractionResponseType.DeferredMessageUpdate:
      record.original = record.sourceMessage;
      return record.original;
    case InteractionResponseType.UpdateMessage: {
      const problem = messageBodyProblem(data, request.files, false, ["data"]);
      if (problem) throw problem;
      if (record.sourceMessage) {
        record.sourceMessage = editedMessagePayload(world, record.sourceMessage, data, request.files);
        publishMessageUpdate(context, record.sourceMessage);
      }
      record.original = record.sourceMessage;
      return record.original;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult: {
      const problem = autocompleteChoicesProblem(data.choices);
      if (problem) throw problem;
      return undefined;
    }
    default:
      return undefined;
  }
}

function interactionMessage(
  context: RestContext,
  record: InteractionRecord,
  body: MessageBody,
  request: RestRequest,
  extra: { systemFlags?: number } = {},
): APIMessage {
  const { world } = context;
  if (!record.channelId) throw errors.unknownChannel();
  return messagePayload(world, {
    // An app installed by a user answers in channels the bot cannot see (another server, a DM).
    channel: world.channels.get(record.channelId) ?? unseenChannel(record.channelId, record.guildId),
    author: world.botUser,
    body,
    files: request.files,
    type: record.kind === "chatInput" ? MessageType.ChatInputCommand : MessageType.Default,
    interaction: record,
    ...extra,
  });
}

/** The interaction behind a webhook URL; follow-ups and edits only work once it was answered. */
function webhookInteraction(request: RestRequest, context: RestContext): InteractionRecord {
  if (param(request.params, "applicationId") !== context.world.applicationId) throw errors.unknownWebhook();
  const record = context.world.interactionByToken(param(request.params, "token"));
  if (!record || record.callbackType === undefined) throw errors.unknownWebhook();
  return record;
}

function webhookMessage(record: InteractionRecord, messageId: string): APIMessage {
  const message =
    messageId === "@original" ? record.original : record.followUps.find((followUp) => followUp.id === messageId);
  if (!message) throw errors.unknownMessage();
  return message;
}

function followUp(request: RestRequest, context: RestContext): RestResult {
  const record = webhookInteraction(request, context);
  const body = messageBody(request.body);
  const problem = messageBodyProblem(body, request.files, true);
  if (problem) throw problem;
  const message = interactionMessage(context, record, body, request);
  record.followUps.push(message);
  publishMessage(context, message);
  return request.query.wait === "true" ? json(200, message) : noContent;
}

function fetchWebhookMessage(request: RestRequest, context: RestContext): RestResult {
  const record = webhookInteraction(request, context);
  return json(200, webhookMessage(record, param(request.params, "messageId")));
}

function editWebhookMessage(request: RestRequest, context: RestContext): RestResult {
  const record = webhookInteraction(request, context);
  const messageId = param(request.params, "messageId");
  const body = messageBody(request.body);
  const problem = messageBodyProblem(body, request.files, false);
  if (problem) throw problem;
  const edited = editedMessagePayload(context.world, webhookMessage(record, messageId), body, request.files);
  replaceInteractionMessage(record, edited);
  publishMessageUpdate(context, edited);
  return json(200, edited);
}

function deleteWebhookMessage(request: RestRequest, context: RestContext): RestResult {
  const record = webhookInteraction(request, context);
  const message = webhookMessage(record, param(request.params, "messageId"));
  if (record.original?.id === message.id) record.original = undefined;
  record.followUps = record.followUps.filter((followUp) => followUp.id !== message.id);
  publishMessageDelete(context, message);
  return noContent;
}

function replaceInteractionMessage(record: InteractionRecord, message: APIMessage): void {
  if (record.original?.id === message.id) record.original = message;
  if (record.sourceMessage?.id === message.id) record.sourceMessage = message;
  record.followUps = record.followUps.map((followUp) => (followUp.id === message.id ? message : followUp));
}

/** A channel the fake's world does not hold: where a user-installed app is used. */
function unseenChannel(id: string, guildId: string | null): FakeChannel {
  return {
    id,
    guildId: guildId ?? "",
    type: guildId ? ChannelType.GuildText : ChannelType.DM,
    name: "elsewhere",
    position: 0,
    parentId: null,
    topic: null,
    nsfw: false,
    rateLimitPerUser: 0,
    overwrites: [],
    lastMessageId: null,
  };
}
