/**
 * Everything the fake remembers: guilds, channels, users, messages, commands and interactions.
 * REST handlers and dispatch helpers read and change this; nothing here knows about HTTP or JSON.
 */
import { ChannelType } from "discord.js";
import type {
  FakeChannel,
  FakeGuild,
  FakeOverwrite,
  FakeUser,
  InteractionRecord,
  StoredCommand,
  StoredMessage,
} from "./model.ts";
import { channelPermissions } from "./permissions.ts";

export const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.AnnouncementThread,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
]);

/** Channel types a message can be posted in. */
export const MESSAGEABLE_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildVoice,
  ChannelType.GuildStageVoice,
  ...THREAD_TYPES,
]);

export class World {
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  /** Per channel, oldest first. */
  readonly messages = new Map<string, StoredMessage[]>();
  readonly globalCommands = new Map<string, StoredCommand>();
  readonly guildCommands = new Map<string, Map<string, StoredCommand>>();
  readonly interactions = new Map<string, InteractionRecord>();
  /** Thread ids in creation order (REST-created and `threadCreate`). */
  readonly threadsCreated: string[] = [];

  constructor(
    readonly applicationId: string,
    readonly botUserId: string,
  ) {}

  get botUser(): FakeUser {
    return this.requireUser(this.botUserId);
  }

  requireUser(id: string): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`FakeDiscord: unknown user ${id}; add it with options.users`);
    return user;
  }

  requireChannel(id: string): FakeChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`FakeDiscord: unknown channel ${id}; add it with options.channels`);
    return channel;
  }

  requireGuild(id: string): FakeGuild {
    const guild = this.guilds.get(id);
    if (!guild) throw new Error(`FakeDiscord: unknown guild ${id}; add it with options.guilds`);
    return guild;
  }

  isThread(channel: FakeChannel): boolean {
    return THREAD_TYPES.has(channel.type);
  }

  /** Top-level channels of a guild (GUILD_CREATE lists threads separately). */
  channelsOf(guildId: string): FakeChannel[] {
    return [...this.channels.values()].filter((channel) => channel.guildId === guildId && !channel.thread);
  }

  threadsOf(guildId: string): FakeChannel[] {
    return [...this.channels.values()].filter((channel) => channel.guildId === guildId && channel.thread);
  }

  permissionsOf(userId: string, channelId: string): bigint {
    const channel = this.requireChannel(channelId);
    const guild = this.requireGuild(channel.guildId);
    const parent = channel.parentId ? this.channels.get(channel.parentId) : undefined;
    return channelPermissions(guild, userId, channel, parent);
  }

  setOverwrite(channelId: string, overwrite: FakeOverwrite): void {
    const channel = this.requireChannel(channelId);
    channel.overwrites = channel.overwrites.filter((existing) => existing.id !== overwrite.id);
    channel.overwrites.push(overwrite);
  }

  messagesIn(channelId: string): StoredMessage[] {
    let list = this.messages.get(channelId);
    if (!list) {
      list = [];
      this.messages.set(channelId, list);
    }
    return list;
  }

  findMessage(channelId: string, messageId: string): StoredMessage | undefined {
    return this.messages.get(channelId)?.find((stored) => stored.message.id === messageId);
  }

  addMessage(stored: StoredMessage): void {
    const channelId = stored.message.channel_id;
    this.messagesIn(channelId).push(stored);
    const channel = this.channels.get(channelId);
    if (channel) {
      channel.lastMessageId = stored.message.id;
      if (channel.thread) channel.thread.messageCount += 1;
    }
  }

  deleteMessage(channelId: string, messageId: string): boolean {
    const list = this.messages.get(channelId);
    const index = list?.findIndex((stored) => stored.message.id === messageId) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Removes the channel, its threads and their messages; returns what was removed. */
  removeChannel(channelId: string): FakeChannel[] {
    const removed = [...this.channels.values()].filter(
      (channel) => channel.id === channelId || (channel.thread && channel.parentId === channelId),
    );
    for (const channel of removed) {
      this.channels.delete(channel.id);
      this.messages.delete(channel.id);
    }
    return removed;
  }

  removeGuild(guildId: string): void {
    for (const channel of this.channelsOf(guildId)) this.removeChannel(channel.id);
    for (const thread of this.threadsOf(guildId)) this.removeChannel(thread.id);
    this.guilds.delete(guildId);
    this.guildCommands.delete(guildId);
  }

  commandsFor(guildId: string | null): Map<string, StoredCommand> {
    if (guildId === null) return this.globalCommands;
    let commands = this.guildCommands.get(guildId);
    if (!commands) {
      commands = new Map();
      this.guildCommands.set(guildId, commands);
    }
    return commands;
  }

  /** The registered command a chat input refers to: a guild command wins over a global one. */
  findCommand(name: string, guildId: string | null): StoredCommand | undefined {
    const inGuild = guildId ? this.guildCommands.get(guildId) : undefined;
    return (
      [...(inGuild?.values() ?? [])].find((command) => command.name === name) ??
      [...this.globalCommands.values()].find((command) => command.name === name)
    );
  }

  interactionByToken(token: string): InteractionRecord | undefined {
    for (const record of this.interactions.values()) {
      if (record.token === token) return record;
    }
    return undefined;
  }
}
