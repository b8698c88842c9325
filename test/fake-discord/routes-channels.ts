/** Channel, message and thread routes the bot uses outside interactions. */
import { type APIMessage, ChannelType, GatewayIntentBits, MessageFlags } from "discord.js";
import type { FakeChannel } from "./model.ts";
import {
  channelPayload,
  editedMessagePayload,
  type MessageBody,
  messagePayload,
  threadCreateEventData,
  threadPayload,
} from "./payloads.ts";
import { Permission } from "./permissions.ts";
import { errors, invalidFormBody, RestError } from "./rest-errors.ts";
import {
  json,
  noContent,
  type RestContext,
  type RestRequest,
  type RestResult,
  type RestRouter,
} from "./rest-router.ts";
import {
  channelForBot,
  messageBody,
  objectBody,
  param,
  publishMessage,
  publishMessageDelete,
  publishMessageUpdate,
} from "./route-helpers.ts";
import { nextSnowflake } from "./snowflake.ts";
import { messageBodyProblem } from "./validation.ts";
import { MESSAGEABLE_TYPES } from "./world.ts";

const THREAD_NAME_MAX = 100;
const AUTO_ARCHIVE_DURATIONS = [60, 1440, 4320, 10080] as const;

export function addChannelRoutes(router: RestRouter): void {
  router.add("GET", "/channels/:channelId", getChannel);
  router.add("POST", "/channels/:channelId/typing", (request, context) => {
    channelForBot(context, param(request.params, "channelId"), Permission.SendMessages);
    return noContent;
  });
  router.add("GET", "/channels/:channelId/messages", listMessages);
  router.add("POST", "/channels/:channelId/messages", createMessage);
  router.add("GET", "/channels/:channelId/messages/:messageId", getMessage);
  router.add("PATCH", "/channels/:channelId/messages/:messageId", editMessage);
  router.add("DELETE", "/channels/:channelId/messages/:messageId", deleteMessage);
  router.add("POST", "/channels/:channelId/messages/:messageId/threads", startThreadFromMessage);
  router.add("POST", "/channels/:channelId/threads", startThread);
}

function getChannel(request: RestRequest, context: RestContext): RestResult {
  const channel = channelForBot(context, param(request.params, "channelId"));
  return json(200, channelPayload(context.world, channel));
}

function sendPermission(channel: FakeChannel): bigint {
  return channel.thread ? Permission.SendMessagesInThreads : Permission.SendMessages;
}

function createMessage(request: RestRequest, context: RestContext): RestResult {
  const channelId = param(request.params, "channelId");
  const visible = channelForBot(context, channelId);
  if (!MESSAGEABLE_TYPES.has(visible.type)) throw errors.nonTextChannel();
  const channel = channelForBot(context, channelId, sendPermission(visible));
  const body = messageBody(request.body);
  const problem = messageBodyProblem(body, request.files, true);
  if (problem) throw problem;

  const nonce = body.enforce_nonce && body.nonce !== undefined ? String(body.nonce) : undefined;
  if (nonce !== undefined) {
    const duplicate = recentMessageWithNonce(context, channelId, nonce);
    // Discord answers a retried send with the message it already created, not a second one.
    if (duplicate) return json(200, duplicate);
  }
  const message = messagePayload(context.world, {
    channel,
    author: context.world.botUser,
    body,
    files: request.files,
    ...referencedMessage(context, channel, body),
  });
  publishMessage(context, message, nonce);
  return json(200, message);
}

function recentMessageWithNonce(context: RestContext, channelId: string, nonce: string): APIMessage | undefined {
  const since = Date.now() - context.nonceWindowMs;
  return context.world
    .messagesIn(channelId)
    .find(
      (stored) =>
        stored.enforcedNonce === nonce &&
        stored.createdAtMs >= since &&
        stored.message.author.id === context.world.botUserId,
    )?.message;
}

function referencedMessage(
  context: RestContext,
  channel: FakeChannel,
  body: MessageBody,
): { referencedMessage?: APIMessage | null } {
  const reference = body.message_reference;
  if (!reference?.message_id) return {};
  const target = context.world.findMessage(reference.channel_id ?? channel.id, reference.message_id);
  if (!target && reference.fail_if_not_exists !== false) {
    throw invalidFormBody([
      { path: ["message_reference"], code: "REPLIES_UNKNOWN_MESSAGE", message: "Unknown message" },
    ]);
  }
  return { referencedMessage: target?.message ?? null };
}

function listMessages(request: RestRequest, context: RestContext): RestResult {
  const channelId = param(request.params, "channelId");
  channelForBot(context, channelId, Permission.ReadMessageHistory);
  const limit = Math.min(Math.max(Number(request.query.limit ?? 50), 1), 100);
  const newestFirst = [...context.world.messagesIn(channelId)].reverse().map((stored) => stored.message);
  return json(200, newestFirst.slice(0, limit));
}

function storedMessage(request: RestRequest, context: RestContext, required: bigint): APIMessage {
  const channelId = param(request.params, "channelId");
  channelForBot(context, channelId, required);
  const stored = context.world.findMessage(channelId, param(request.params, "messageId"));
  if (!stored) throw errors.unknownMessage();
  return stored.message;
}

function getMessage(request: RestRequest, context: RestContext): RestResult {
  return json(200, storedMessage(request, context, Permission.ReadMessageHistory));
}

function editMessage(request: RestRequest, context: RestContext): RestResult {
  const message = storedMessage(request, context, 0n);
  if (message.author.id !== context.world.botUserId) throw errors.cannotEditOthersMessage();
  const body = messageBody(request.body);
  const problem = messageBodyProblem(body, request.files, false);
  if (problem) throw problem;
  const edited = editedMessagePayload(context.world, message, body, request.files);
  publishMessageUpdate(context, edited);
  return json(200, edited);
}

function deleteMessage(request: RestRequest, context: RestContext): RestResult {
  const message = storedMessage(request, context, 0n);
  const channelId = param(request.params, "channelId");
  if (message.author.id !== context.world.botUserId) channelForBot(context, channelId, Permission.ManageMessages);
  publishMessageDelete(context, message);
  return noContent;
}

interface ThreadBody {
  name: string;
  autoArchiveDuration: (typeof AUTO_ARCHIVE_DURATIONS)[number];
}

function threadBody(body: unknown): ThreadBody {
  const fields = objectBody(body);
  const name = typeof fields.name === "string" ? fields.name : "";
  if (name.length < 1 || name.length > THREAD_NAME_MAX) {
    throw invalidFormBody([
      { path: ["name"], code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length." },
    ]);
  }
  const requested = Number(fields.auto_archive_duration ?? 1440);
  const autoArchiveDuration = AUTO_ARCHIVE_DURATIONS.find((duration) => duration === requested);
  if (!autoArchiveDuration) {
    throw invalidFormBody([
      {
        path: ["auto_archive_duration"],
        code: "BASE_TYPE_CHOICES",
        message: "Value must be one of {60, 1440, 4320, 10080}.",
      },
    ]);
  }
  return { name, autoArchiveDuration };
}

/** Adds a thread to the world and announces it; returns the 201 response. */
function createThread(
  context: RestContext,
  parent: FakeChannel,
  id: string,
  type: ChannelType,
  { name, autoArchiveDuration }: ThreadBody,
  starter?: APIMessage,
): RestResult {
  const { world } = context;
  const thread: FakeChannel = {
    id,
    guildId: parent.guildId,
    type,
    name,
    position: 0,
    parentId: parent.id,
    topic: null,
    nsfw: parent.nsfw,
    rateLimitPerUser: 0,
    overwrites: [],
    lastMessageId: null,
    thread: {
      ownerId: world.botUserId,
      archived: false,
      locked: false,
      autoArchiveDuration,
      createdAt: new Date().toISOString(),
      memberIds: new Set([world.botUserId]),
      appliedTags: [],
      messageCount: 0,
    },
  };
  world.channels.set(id, thread);
  world.threadsCreated.push(id);
  // THREAD_CREATE first: discord.js ignores messages for channels it does not know yet.
  context.gateway.dispatchForIntent(
    "THREAD_CREATE",
    threadCreateEventData(world, thread, true),
    GatewayIntentBits.Guilds,
  );
  if (starter) publishMessage(context, starter);
  return json(201, { ...threadPayload(world, thread), ...(starter ? { message: starter } : {}) });
}

function startThreadFromMessage(request: RestRequest, context: RestContext): RestResult {
  const channelId = param(request.params, "channelId");
  const parent = channelForBot(context, channelId, Permission.CreatePublicThreads);
  if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
    throw new RestError(400, { message: "Cannot execute action on this channel type", code: 50024 });
  }
  const stored = context.world.findMessage(channelId, param(request.params, "messageId"));
  if (!stored) throw errors.unknownMessage();
  if (context.world.channels.has(stored.message.id)) throw errors.threadAlreadyExists();
  const body = threadBody(request.body);
  const type =
    parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
  // A thread started from a message takes the message's id.
  const result = createThread(context, parent, stored.message.id, type, body);
  stored.message = {
    ...stored.message,
    flags: (stored.message.flags ?? 0) | MessageFlags.HasThread,
    thread: result.body as APIMessage["thread"],
  };
  return result;
}

function startThread(request: RestRequest, context: RestContext): RestResult {
  const channelId = param(request.params, "channelId");
  const visible = channelForBot(context, channelId);
  const body = threadBody(request.body);
  if (visible.type === ChannelType.GuildForum || visible.type === ChannelType.GuildMedia) {
    return startForumPost(request, context, visible, body);
  }
  if (visible.type !== ChannelType.GuildText && visible.type !== ChannelType.GuildAnnouncement) {
    throw new RestError(400, { message: "Cannot execute action on this channel type", code: 50024 });
  }
  const fields = objectBody(request.body);
  const type =
    visible.type === ChannelType.GuildAnnouncement
      ? ChannelType.AnnouncementThread
      : // Discord's documented default for this route is a private thread.
        Number(fields.type ?? ChannelType.PrivateThread) === ChannelType.PublicThread
        ? ChannelType.PublicThread
        : ChannelType.PrivateThread;
  const required =
    type === ChannelType.PrivateThread ? Permission.CreatePrivateThreads : Permission.CreatePublicThreads;
  const parent = channelForBot(context, channelId, required);
  return createThread(context, parent, nextSnowflake(), type, body);
}

/** Forum posts are threads whose starter message shares the thread's id. */
function startForumPost(request: RestRequest, context: RestContext, forum: FakeChannel, body: ThreadBody): RestResult {
  channelForBot(context, forum.id, Permission.SendMessages);
  const fields = objectBody(request.body);
  const starterBody = (fields.message ?? undefined) as MessageBody | undefined;
  if (!starterBody) {
    throw invalidFormBody([{ path: ["message"], code: "BASE_TYPE_REQUIRED", message: "This field is required" }]);
  }
  const problem = messageBodyProblem(starterBody, request.files, true, ["message"]);
  if (problem) throw problem;
  const id = nextSnowflake();
  const threadShell: FakeChannel = { ...forum, id, type: ChannelType.PublicThread, parentId: forum.id };
  const starter = messagePayload(context.world, {
    id,
    channel: threadShell,
    author: context.world.botUser,
    body: starterBody,
    files: request.files,
  });
  const result = createThread(context, forum, id, ChannelType.PublicThread, body, starter);
  const appliedTags = Array.isArray(fields.applied_tags) ? fields.applied_tags.map(String) : [];
  const thread = context.world.channels.get(id)?.thread;
  if (thread) thread.appliedTags = appliedTags;
  return { ...result, body: { ...(result.body as object), applied_tags: appliedTags } };
}
