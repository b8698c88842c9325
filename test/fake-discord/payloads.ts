/**
 * Every JSON object the fake sends to discord.js (gateway frames, guilds, channels, threads,
 * members, messages, interactions, commands) is built here and nowhere else. discord.js crashes
 * the process on some missing fields (see docs: entitlements, authorizing_integration_owners), so
 * keeping one builder per shape, typed against discord-api-types, is what keeps the fake honest.
 */
import {
  type APIActionRowComponent,
  type APIApplication,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChannel,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIChatInputApplicationCommandInteractionData,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIGuild,
  type APIGuildMember,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
  type APIMessageComponentInteractionData,
  type APIModalSubmission,
  type APIModalSubmitGuildInteraction,
  type APIRole,
  type APIThreadChannel,
  type APIThreadMember,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  type ChannelFlags,
  ChannelType,
  ComponentType,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  type OverwriteType,
  type ThreadChannelType,
} from "discord.js";
import { type OptionInputs, type TypedOptionValue, toTypedOption } from "./command-options.ts";
import type { FakeChannel, FakeGuild, FakeRole, FakeUser, InteractionRecord } from "./model.ts";
import { nextSnowflake, timestampOfSnowflake } from "./snowflake.ts";
import type { World } from "./world.ts";

const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** discord-api-types types flag fields as enums without a zero member; 0 is Discord's "no flags". */
function noFlags<Flags>(): Flags {
  return 0 as unknown as Flags;
}

// ---------------------------------------------------------------------------------------------
// Users, roles, members

export function userPayload(user: FakeUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: "0",
    global_name: user.globalName,
    avatar: null,
    bot: user.bot || undefined,
    flags: noFlags(),
    public_flags: noFlags(),
  };
}

export function rolePayload(role: FakeRole): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: false,
    flags: noFlags(),
  };
}

export function memberPayload(world: World, guild: FakeGuild, userId: string): APIGuildMember {
  const member = guild.members.get(userId);
  return {
    user: userPayload(world.requireUser(userId)),
    nick: member?.nick ?? null,
    avatar: null,
    banner: null,
    roles: member?.roleIds ?? [],
    joined_at: member?.joinedAt ?? guild.createdAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: noFlags(),
    pending: false,
    communication_disabled_until: null,
  };
}

/** The member object inside an interaction: carries the member's permissions in that channel. */
export function interactionMemberPayload(
  world: World,
  channel: FakeChannel,
  userId: string,
): APIInteractionGuildMember {
  const guild = world.requireGuild(channel.guildId);
  return {
    ...memberPayload(world, guild, userId),
    permissions: world.permissionsOf(userId, channel.id).toString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Channels and threads

export function channelPayload(world: World, channel: FakeChannel): APIChannel {
  if (channel.thread) return threadPayload(world, channel);
  const common = {
    id: channel.id,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    parent_id: channel.parentId,
    nsfw: channel.nsfw,
    flags: noFlags<ChannelFlags>(),
    permission_overwrites: channel.overwrites.map((overwrite) => ({
      id: overwrite.id,
      type: overwrite.type as OverwriteType,
      allow: overwrite.allow.toString(),
      deny: overwrite.deny.toString(),
    })),
  };
  if (channel.type === ChannelType.GuildForum) {
    return {
      ...common,
      type: ChannelType.GuildForum,
      topic: channel.topic,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: channel.rateLimitPerUser,
      default_auto_archive_duration: 1440,
      default_thread_rate_limit_per_user: 0,
      available_tags: [],
      default_reaction_emoji: null,
      default_sort_order: null,
      default_forum_layout: 0,
    };
  }
  return {
    ...common,
    type: channel.type as ChannelType.GuildText,
    topic: channel.topic,
    last_message_id: channel.lastMessageId,
    last_pin_timestamp: null,
    rate_limit_per_user: channel.rateLimitPerUser,
    default_auto_archive_duration: 1440,
    default_thread_rate_limit_per_user: 0,
  };
}

export function threadPayload(world: World, channel: FakeChannel): APIThreadChannel {
  const thread = channel.thread;
  if (!thread) throw new Error(`FakeDiscord: ${channel.id} is not a thread`);
  const botJoined = thread.memberIds.has(world.botUserId);
  return {
    id: channel.id,
    type: channel.type as ThreadChannelType,
    guild_id: channel.guildId,
    parent_id: channel.parentId ?? undefined,
    name: channel.name,
    owner_id: thread.ownerId,
    nsfw: channel.nsfw,
    flags: noFlags(),
    last_message_id: channel.lastMessageId,
    last_pin_timestamp: null,
    rate_limit_per_user: channel.rateLimitPerUser,
    message_count: thread.messageCount,
    total_message_sent: thread.messageCount,
    member_count: thread.memberIds.size,
    applied_tags: thread.appliedTags,
    thread_metadata: {
      archived: thread.archived,
      auto_archive_duration: thread.autoArchiveDuration,
      archive_timestamp: thread.createdAt,
      locked: thread.locked,
      create_timestamp: thread.createdAt,
      ...(channel.type === ChannelType.PrivateThread ? { invitable: true } : {}),
    },
    ...(botJoined ? { member: threadMemberPayload(channel, world.botUserId) } : {}),
  };
}

export function threadMemberPayload(channel: FakeChannel, userId: string): APIThreadMember {
  return {
    id: channel.id,
    user_id: userId,
    join_timestamp: channel.thread?.createdAt ?? new Date().toISOString(),
    flags: noFlags(),
  };
}

/** How a channel appears in `data.resolved.channels`. */
function resolvedChannelPayload(world: World, channel: FakeChannel, userId: string): APIInteractionDataResolvedChannel {
  const base = {
    id: channel.id,
    name: channel.name,
    permissions: world.permissionsOf(userId, channel.id).toString(),
  };
  if (channel.thread) {
    const thread = threadPayload(world, channel);
    return {
      ...base,
      type: channel.type as ThreadChannelType,
      parent_id: thread.parent_id,
      thread_metadata: thread.thread_metadata,
    };
  }
  return { ...base, type: channel.type as Exclude<ChannelType, ThreadChannelType> };
}

// ---------------------------------------------------------------------------------------------
// Gateway

export interface GatewayBotBody {
  url: string;
  shards: number;
  session_start_limit: { total: number; remaining: number; reset_after: number; max_concurrency: number };
}

/** GET /gateway/bot: the only way discord.js learns the gateway URL. */
/**
 * `max_concurrency` equals the shard count so every shard may identify at once; a real bot under
 * 150,000 guilds gets 1, and discord.js then identifies one shard per 5 seconds.
 */
export function gatewayBotPayload(gatewayUrl: string, shards = 1): GatewayBotBody {
  return {
    url: gatewayUrl,
    shards,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: shards },
  };
}

export type GatewayFrame =
  | { op: 0; t: string; s: number; d: unknown }
  | { op: 7; d: null }
  | { op: 9; d: boolean }
  | { op: 10; d: { heartbeat_interval: number } }
  | { op: 11 };

export function helloFrame(heartbeatIntervalMs: number): GatewayFrame {
  return { op: 10, d: { heartbeat_interval: heartbeatIntervalMs } };
}

export function heartbeatAckFrame(): GatewayFrame {
  return { op: 11 };
}

export function invalidSessionFrame(resumable: boolean): GatewayFrame {
  return { op: 9, d: resumable };
}

export function dispatchFrame(event: string, sequence: number, data: unknown): GatewayFrame {
  return { op: 0, t: event, s: sequence, d: data };
}

export function readyPayload(
  world: World,
  session: {
    sessionId: string;
    resumeGatewayUrl: string;
    shard: [number, number];
    /** The guilds of this shard; every guild by default. */
    guilds?: readonly FakeGuild[];
  },
): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...userPayload(world.botUser), verified: true, mfa_enabled: false },
    guilds: (session.guilds ?? [...world.guilds.values()]).map((guild) => ({ id: guild.id, unavailable: true })),
    session_id: session.sessionId,
    resume_gateway_url: session.resumeGatewayUrl,
    shard: session.shard,
    application: { id: world.applicationId, flags: noFlags(), flags_new: "0" },
  };
}

/** A guild as REST returns it (GET /guilds/{id}); GUILD_CREATE adds channels, members and more. */
export function guildPayload(guild: FakeGuild): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    region: "",
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 2,
    roles: [...guild.roles.values()].map(rolePayload),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: noFlags(),
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    nsfw_level: 0,
    hub_type: null,
    incidents_data: null,
    approximate_member_count: guild.members.size,
  };
}

export function guildCreatePayload(world: World, guild: FakeGuild): GatewayGuildCreateDispatchData {
  const channels = world.channelsOf(guild.id).map((channel) => channelPayload(world, channel));
  const threads = world.threadsOf(guild.id).map((thread) => threadPayload(world, thread));
  const { approximate_member_count: _count, ...base } = guildPayload(guild);
  return {
    ...base,
    joined_at: guild.members.get(world.botUserId)?.joinedAt ?? guild.createdAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: [...guild.members.keys()].map((userId) => memberPayload(world, guild, userId)),
    channels: channels as GatewayGuildCreateDispatchData["channels"],
    threads: threads as GatewayGuildCreateDispatchData["threads"],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** GET /applications/@me. */
export function applicationPayload(world: World): APIApplication {
  const owner = [...world.guilds.values()][0]?.ownerId;
  return {
    id: world.applicationId,
    name: world.botUser.username,
    icon: null,
    description: "",
    summary: "",
    bot_public: true,
    bot_require_code_grant: false,
    bot: userPayload(world.botUser),
    ...(owner ? { owner: userPayload(world.requireUser(owner)) } : {}),
    verify_key: "0".repeat(64),
    team: null,
    flags: noFlags(),
    flags_new: "0",
    approximate_guild_count: world.guilds.size,
  };
}

export function threadCreateEventData(world: World, thread: FakeChannel, newlyCreated: boolean) {
  return { ...threadPayload(world, thread), ...(newlyCreated ? { newly_created: true } : {}) };
}

export function threadDeleteEventData(thread: FakeChannel) {
  return { id: thread.id, guild_id: thread.guildId, parent_id: thread.parentId, type: thread.type };
}

export function guildDeleteEventData(guildId: string, unavailable: boolean) {
  return unavailable ? { id: guildId, unavailable: true } : { id: guildId };
}

/** MESSAGE_CREATE/UPDATE add guild_id and the author's member object to the REST message shape. */
export function messageCreateEventData(world: World, message: APIMessage) {
  const guildId = world.channels.get(message.channel_id)?.guildId;
  const guild = guildId ? world.guilds.get(guildId) : undefined;
  if (!guild) return message;
  if (message.webhook_id || !guild.members.has(message.author.id)) return { ...message, guild_id: guild.id };
  const { user: _user, ...member } = memberPayload(world, guild, message.author.id);
  return { ...message, guild_id: guild.id, member };
}

export function messageDeleteEventData(world: World, message: APIMessage) {
  const guildId = world.channels.get(message.channel_id)?.guildId;
  return { id: message.id, channel_id: message.channel_id, ...(guildId ? { guild_id: guildId } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Messages

/** The fields of a message body that a bot sends (REST create/edit, interaction callback data). */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  tts?: boolean;
  nonce?: string | number;
  enforce_nonce?: boolean;
  message_reference?: { message_id?: string; channel_id?: string; guild_id?: string; fail_if_not_exists?: boolean };
  attachments?: Array<{ id: string | number; filename?: string; description?: string }>;
  sticker_ids?: string[];
  poll?: unknown;
  allowed_mentions?: unknown;
}

export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
}

export interface MessageDraft {
  channel: FakeChannel;
  author: FakeUser;
  body: MessageBody;
  files?: UploadedFile[];
  type?: MessageType;
  /** Interaction replies and follow-ups are webhook messages tied to the interaction. */
  interaction?: InteractionRecord;
  referencedMessage?: APIMessage | null;
  /** Forum starter messages share the thread's id. */
  id?: string;
  /** Flags only Discord sets, such as Loading on a deferred reply; not masked like body flags. */
  systemFlags?: number;
}

/** Flags a bot may set when sending; Discord ignores the rest. */
const SENDABLE_FLAGS =
  MessageFlags.SuppressEmbeds |
  MessageFlags.SuppressNotifications |
  MessageFlags.Ephemeral |
  MessageFlags.IsComponentsV2;

export function messagePayload(world: World, draft: MessageDraft): APIMessage {
  const id = draft.id ?? nextSnowflake();
  const body = draft.body;
  const content = body.content ?? "";
  const interaction = draft.interaction;
  return {
    id,
    channel_id: draft.channel.id,
    author: userPayload(draft.author),
    content,
    timestamp: new Date(timestampOfSnowflake(id)).toISOString(),
    edited_timestamp: null,
    tts: body.tts ?? false,
    mention_everyone: false,
    mentions: mentionedUsers(world, content),
    mention_roles: [],
    mention_channels: [],
    attachments: attachmentsPayload(draft.channel.id, body, draft.files ?? []),
    embeds: (body.embeds ?? []).map(normaliseEmbed),
    components: (body.components ?? []) as APIMessage["components"],
    reactions: [],
    pinned: false,
    type: draft.type ?? (draft.referencedMessage ? MessageType.Reply : MessageType.Default),
    flags: ((body.flags ?? 0) & SENDABLE_FLAGS) | (draft.systemFlags ?? 0),
    ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
    ...(draft.referencedMessage !== undefined && body.message_reference
      ? {
          message_reference: {
            type: 0,
            message_id: body.message_reference.message_id,
            channel_id: body.message_reference.channel_id ?? draft.channel.id,
            guild_id: draft.channel.guildId,
          },
          referenced_message: draft.referencedMessage,
        }
      : {}),
    ...(interaction ? interactionMessageFields(world, interaction) : {}),
  };
}

function interactionMessageFields(world: World, interaction: InteractionRecord) {
  return {
    webhook_id: world.applicationId,
    application_id: world.applicationId,
    // discord.js throws from Transformers.js when authorizing_integration_owners is absent here.
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user: userPayload(world.requireUser(interaction.userId)),
      authorizing_integration_owners: authorizingOwners(interaction.guildId, interaction.userId),
      ...(interaction.commandName
        ? { name: interaction.commandName, command_type: ApplicationCommandType.ChatInput }
        : {}),
    } as APIMessage["interaction_metadata"],
  };
}

/** A copy of `message` with the editable fields of `body` applied (PATCH message / @original). */
export function editedMessagePayload(
  world: World,
  message: APIMessage,
  body: MessageBody,
  files: UploadedFile[] = [],
): APIMessage {
  const wasLoading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
  const content = body.content ?? message.content;
  return {
    ...message,
    content,
    mentions: body.content === undefined ? message.mentions : mentionedUsers(world, content),
    embeds: body.embeds ? body.embeds.map(normaliseEmbed) : message.embeds,
    components: (body.components ?? message.components) as APIMessage["components"],
    attachments:
      body.attachments || files.length > 0
        ? attachmentsPayload(message.channel_id, body, files, message.attachments)
        : message.attachments,
    // Completing a deferred reply is not an "edit" as far as users can see.
    edited_timestamp: wasLoading ? null : new Date().toISOString(),
    // Ephemeral cannot be toggled by an edit; Loading clears once the deferred reply is filled in.
    flags:
      (((body.flags ?? message.flags ?? 0) & ~MessageFlags.Ephemeral) |
        ((message.flags ?? 0) & MessageFlags.Ephemeral)) &
      ~MessageFlags.Loading,
  };
}

function normaliseEmbed(embed: APIEmbed): APIEmbed {
  return { type: "rich" as APIEmbed["type"], ...embed };
}

function mentionedUsers(world: World, content: string): APIUser[] {
  const mentioned = new Set([...content.matchAll(/<@!?(\d{17,20})>/g)].map((match) => match[1] ?? ""));
  return [...mentioned].flatMap((id) => {
    const user = world.users.get(id);
    return user ? [userPayload(user)] : [];
  });
}

function attachmentsPayload(
  channelId: string,
  body: MessageBody,
  files: UploadedFile[],
  existing: APIAttachment[] = [],
): APIAttachment[] {
  const kept = existing.filter((attachment) => body.attachments?.some((wanted) => String(wanted.id) === attachment.id));
  const uploaded = files.map((file, index): APIAttachment => {
    const id = nextSnowflake();
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    const description = body.attachments?.find((wanted) => String(wanted.id) === String(index))?.description;
    return {
      id,
      filename: file.filename,
      size: file.size,
      url,
      proxy_url: url.replace("cdn.discordapp.com", "media.discordapp.net"),
      content_type: file.contentType,
      ...(description ? { description } : {}),
    };
  });
  return [...kept, ...uploaded];
}

// ---------------------------------------------------------------------------------------------
// Interactions

/** The id and token every interaction carries; the token authorises its callback and webhook. */
export interface InteractionIdentity {
  id: string;
  token: string;
}

export interface InteractionContext {
  channelId: string;
  userId: string;
  locale: Locale;
}

interface ResolvedContext {
  channel: FakeChannel;
  guild: FakeGuild;
  user: FakeUser;
}

function resolveContext(world: World, context: InteractionContext): ResolvedContext {
  const channel = world.requireChannel(context.channelId);
  return { channel, guild: world.requireGuild(channel.guildId), user: world.requireUser(context.userId) };
}

function authorizingOwners(guildId: string | null, userId: string) {
  return guildId
    ? { [ApplicationIntegrationType.GuildInstall]: guildId }
    : { [ApplicationIntegrationType.UserInstall]: userId };
}

/** The fields every guild interaction carries, whatever its type. */
function baseInteraction(world: World, identity: InteractionIdentity, context: InteractionContext) {
  const { channel, guild } = resolveContext(world, context);
  return {
    id: identity.id,
    application_id: world.applicationId,
    token: identity.token,
    version: 1 as const,
    guild_id: guild.id,
    guild: { id: guild.id, features: [], locale: Locale.EnglishUS },
    channel_id: channel.id,
    channel: channelPayload(world, channel),
    member: interactionMemberPayload(world, channel, context.userId),
    app_permissions: world.permissionsOf(world.botUserId, channel.id).toString(),
    locale: context.locale,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: authorizingOwners(guild.id, context.userId),
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

export interface CommandInvocation {
  name: string;
  commandId: string;
  commandGuildId: string | null;
  options: OptionInputs;
  subcommand?: string;
  subcommandGroup?: string;
  /** Autocomplete only: the option the user is typing in. */
  focused?: string;
}

export function chatInputInteractionPayload(
  world: World,
  identity: InteractionIdentity,
  context: InteractionContext,
  command: CommandInvocation,
): APIChatInputApplicationCommandGuildInteraction {
  return {
    ...baseInteraction(world, identity, context),
    type: InteractionType.ApplicationCommand,
    data: commandData(world, context, command) as APIChatInputApplicationCommandInteractionData,
  };
}

export function autocompleteInteractionPayload(
  world: World,
  identity: InteractionIdentity,
  context: InteractionContext,
  command: CommandInvocation,
): APIApplicationCommandAutocompleteGuildInteraction {
  return {
    ...baseInteraction(world, identity, context),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: commandData(world, context, command) as APIApplicationCommandAutocompleteGuildInteraction["data"],
  };
}

function commandData(world: World, context: InteractionContext, command: CommandInvocation) {
  const resolved: APIInteractionDataResolved = {};
  let options: APIApplicationCommandInteractionDataOption[] = Object.entries(command.options).map(([name, value]) =>
    commandOptionPayload(world, context, resolved, name, toTypedOption(value), command.focused === name),
  );
  if (command.subcommand) {
    options = [
      {
        name: command.subcommand,
        type: ApplicationCommandOptionType.Subcommand,
        options,
      } as APIApplicationCommandInteractionDataOption,
    ];
  }
  if (command.subcommandGroup) {
    options = [
      {
        name: command.subcommandGroup,
        type: ApplicationCommandOptionType.SubcommandGroup,
        options,
      } as APIApplicationCommandInteractionDataOption,
    ];
  }
  return {
    id: command.commandId,
    name: command.name,
    type: ApplicationCommandType.ChatInput,
    options,
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    ...(command.commandGuildId ? { guild_id: command.commandGuildId } : {}),
  };
}

function commandOptionPayload(
  world: World,
  context: InteractionContext,
  resolved: APIInteractionDataResolved,
  name: string,
  option: TypedOptionValue,
  focused: boolean,
): APIApplicationCommandInteractionDataOption {
  const id = String(option.value);
  const { channel, guild } = resolveContext(world, context);
  const resolveUser = () => {
    resolved.users = { ...resolved.users, [id]: userPayload(world.requireUser(id)) };
    if (guild.members.has(id)) {
      const { user: _user, deaf: _deaf, mute: _mute, ...member } = memberPayload(world, guild, id);
      resolved.members = {
        ...resolved.members,
        [id]: { ...member, permissions: world.permissionsOf(id, channel.id).toString() },
      };
    }
  };
  const resolveRole = () => {
    const role = guild.roles.get(id);
    if (!role) throw new Error(`FakeDiscord: unknown role ${id} in guild ${guild.id}`);
    resolved.roles = { ...resolved.roles, [id]: rolePayload(role) };
  };
  switch (option.type) {
    case ApplicationCommandOptionType.User:
      resolveUser();
      break;
    case ApplicationCommandOptionType.Channel:
      resolved.channels = {
        ...resolved.channels,
        [id]: resolvedChannelPayload(world, world.requireChannel(id), context.userId),
      };
      break;
    case ApplicationCommandOptionType.Role:
      resolveRole();
      break;
    case ApplicationCommandOptionType.Mentionable:
      if (world.users.has(id)) resolveUser();
      else resolveRole();
      break;
  }
  return {
    name,
    type: option.type,
    value: option.value,
    ...(focused ? { focused: true } : {}),
  } as APIApplicationCommandInteractionDataOption;
}

export type ComponentInteractionData =
  | { kind: "button"; customId: string }
  | { kind: "select"; customId: string; values: string[] };

export function componentInteractionPayload(
  world: World,
  identity: InteractionIdentity,
  context: InteractionContext,
  component: ComponentInteractionData,
  message: APIMessage,
): APIMessageComponentGuildInteraction {
  const data: APIMessageComponentInteractionData =
    component.kind === "button"
      ? { custom_id: component.customId, component_type: ComponentType.Button }
      : { custom_id: component.customId, component_type: ComponentType.StringSelect, values: component.values };
  return { ...baseInteraction(world, identity, context), type: InteractionType.MessageComponent, data, message };
}

/** A bot message carrying the button or select a component interaction claims to come from. */
export function componentHostMessageBody(component: ComponentInteractionData): MessageBody {
  const control: APIComponentInMessageActionRow =
    component.kind === "button"
      ? { type: ComponentType.Button, style: 1, custom_id: component.customId, label: component.customId }
      : {
          type: ComponentType.StringSelect,
          custom_id: component.customId,
          options: component.values.map((value) => ({ label: value, value })),
        };
  const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: ComponentType.ActionRow,
    components: [control],
  };
  return { content: "Choose:", components: [row] };
}

export function modalSubmitInteractionPayload(
  world: World,
  identity: InteractionIdentity,
  context: InteractionContext,
  customId: string,
  fields: Record<string, string>,
): APIModalSubmitGuildInteraction {
  const data: APIModalSubmission = {
    custom_id: customId,
    components: Object.entries(fields).map(([fieldId, value]) => ({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: fieldId, value }],
    })),
  };
  return { ...baseInteraction(world, identity, context), type: InteractionType.ModalSubmit, data };
}

/** Body of a callback answered with `?with_response=true` (discord.js InteractionCallbackResponse). */
export function interactionCallbackResponsePayload(
  record: InteractionRecord,
  callbackType: number,
  message?: APIMessage,
) {
  const flags = message?.flags ?? 0;
  return {
    interaction: {
      id: record.id,
      type: record.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: message ? (flags & MessageFlags.Loading) !== 0 : null,
      response_message_ephemeral: message ? (flags & MessageFlags.Ephemeral) !== 0 : null,
    },
    ...(message ? { resource: { type: callbackType, message } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Application commands

/** A command body as a bot PUTs it; Discord adds ids, version and defaults. */
export interface CommandBody {
  name: string;
  type?: ApplicationCommandType;
  description?: string;
  options?: unknown[];
  default_member_permissions?: string | null;
  nsfw?: boolean;
  contexts?: InteractionContextType[] | null;
  integration_types?: ApplicationIntegrationType[];
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
}

export function applicationCommandPayload(
  world: World,
  body: CommandBody,
  guildId: string | null,
  existingId: string | undefined,
): APIApplicationCommand {
  const type = body.type ?? ApplicationCommandType.ChatInput;
  return {
    id: existingId ?? nextSnowflake(),
    application_id: world.applicationId,
    version: nextSnowflake(),
    type,
    name: body.name,
    name_localizations: body.name_localizations ?? null,
    description: type === ApplicationCommandType.ChatInput ? (body.description ?? "") : "",
    description_localizations: body.description_localizations ?? null,
    options: (body.options ?? []) as APIApplicationCommand["options"],
    default_member_permissions: body.default_member_permissions ?? null,
    dm_permission: guildId === null,
    nsfw: body.nsfw ?? false,
    integration_types: body.integration_types ?? [ApplicationIntegrationType.GuildInstall],
    contexts: body.contexts ?? null,
    ...(guildId ? { guild_id: guildId } : {}),
  };
}
