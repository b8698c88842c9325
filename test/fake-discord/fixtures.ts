/**
 * The default world every FakeDiscord starts with, plus whatever FakeDiscordOptions add.
 * Fixed ids (realistic snowflakes from plausible dates) keep failures readable across runs.
 */
import { ChannelType } from "discord.js";
import type { FakeChannel, FakeGuild, FakeRole, FakeUser } from "./model.ts";
import type { ChannelSpec, FakeDiscordOptions, GuildSpec, OverwriteSpec, UserSpec } from "./options.ts";
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Permission } from "./permissions.ts";
import { nextSnowflake, timestampOfSnowflake } from "./snowflake.ts";
import { World } from "./world.ts";

export const ids = {
  guild: "555683258826883072",
  /** Guild owner: every permission, as Discord gives owners. */
  owner: "320263065436291072",
  /** Has the Admins role (Manage Guild), not the owner. */
  admin: "484629647720579072",
  /** A plain member: @everyone permissions only. */
  user: "780433142841475072",
  /** Deliberately not equal to `bot` (true of older applications) so mixing them up fails tests. */
  application: "843820283461763072",
  bot: "940643174056067072",
  textChannel: "555683330130051072",
  announcementChannel: "555683976052867072",
  forum: "1063035863040131072",
  /** A public thread (type 11) whose parent is the forum. */
  forumPost: "1247101329604739072",
  /** A public thread (type 11) under the text channel. */
  thread: "1242471971422339072",
  /** A private thread (type 12) under the text channel; owner, admin and bot are members. */
  privateThread: "1242885680791683072",
  adminRole: "555684131242115072",
  botRole: "940644562370691072",
} as const;

export const ADMIN_ROLE_PERMISSIONS: bigint =
  Permission.ManageGuild | Permission.ManageMessages | Permission.ManageThreads | Permission.ManageChannels;

export function createWorld(options: FakeDiscordOptions): World {
  const world = new World(ids.application, ids.bot);
  for (const user of defaultUsers()) world.users.set(user.id, user);
  const extraUsers = (options.users ?? []).map((spec) => ({ ...spec, id: spec.id ?? nextSnowflake() }));
  for (const spec of extraUsers) {
    world.users.set(spec.id, { id: spec.id, username: spec.username, globalName: null, bot: spec.bot ?? false });
  }

  addGuild(world, { id: ids.guild, name: "Open-Source AI Stack", ownerId: ids.owner });
  const guild = world.requireGuild(ids.guild);
  guild.roles.set(ids.adminRole, role(ids.adminRole, "Admins", ADMIN_ROLE_PERMISSIONS, 2));
  addMember(guild, ids.owner, [ids.adminRole]);
  addMember(guild, ids.admin, [ids.adminRole]);
  addMember(guild, ids.user, []);
  for (const spec of options.guilds ?? []) addGuild(world, spec);

  for (const spec of extraUsers) addUserMemberships(world, spec);
  for (const spec of [...defaultChannels(), ...(options.channels ?? [])]) addChannel(world, spec);
  for (const spec of options.permissionOverwrites ?? []) addOverwrite(world, spec);
  return world;
}

function defaultUsers(): FakeUser[] {
  return [
    { id: ids.bot, username: "stackbot", globalName: "Stackbot", bot: true },
    { id: ids.owner, username: "olivia", globalName: "Olivia", bot: false },
    { id: ids.admin, username: "adam", globalName: "Adam", bot: false },
    { id: ids.user, username: "alice", globalName: "Alice", bot: false },
  ];
}

function defaultChannels(): ChannelSpec[] {
  return [
    { id: ids.textChannel, name: "general", type: ChannelType.GuildText, topic: "Ask about open models" },
    { id: ids.announcementChannel, name: "announcements", type: ChannelType.GuildAnnouncement },
    { id: ids.forum, name: "help-forum", type: ChannelType.GuildForum },
    { id: ids.thread, name: "model-licences", type: ChannelType.PublicThread, parentId: ids.textChannel },
    {
      id: ids.privateThread,
      name: "mods-only",
      type: ChannelType.PrivateThread,
      parentId: ids.textChannel,
      ownerId: ids.owner,
      threadMemberIds: [ids.owner, ids.admin, ids.bot],
    },
    {
      id: ids.forumPost,
      name: "Which licence allows fine-tuning?",
      type: ChannelType.PublicThread,
      parentId: ids.forum,
      ownerId: ids.user,
    },
  ];
}

function role(id: string, name: string, permissions: bigint, position: number, managed = false): FakeRole {
  return { id, name, permissions, position, managed };
}

function isoOf(id: string): string {
  return new Date(timestampOfSnowflake(id)).toISOString();
}

function addMember(guild: FakeGuild, userId: string, roleIds: string[]): void {
  guild.members.set(userId, { userId, roleIds, joinedAt: isoOf(guild.id), nick: null });
}

function addGuild(world: World, spec: GuildSpec): void {
  const id = spec.id ?? nextSnowflake();
  const ownerId = spec.ownerId ?? ids.owner;
  world.requireUser(ownerId);
  const botRoleId = id === ids.guild ? ids.botRole : nextSnowflake();
  const guild: FakeGuild = {
    id,
    name: spec.name ?? `guild-${id.slice(-4)}`,
    ownerId,
    roles: new Map([
      [id, role(id, "@everyone", spec.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS, 0)],
      [botRoleId, role(botRoleId, "Stackbot", spec.botPermissions ?? DEFAULT_BOT_PERMISSIONS, 1, true)],
    ]),
    members: new Map(),
    createdAt: isoOf(id),
    unavailable: false,
  };
  addMember(guild, world.botUserId, [botRoleId]);
  addMember(guild, ownerId, []);
  world.guilds.set(id, guild);
}

function addUserMemberships(world: World, spec: UserSpec & { id: string }): void {
  for (const guildId of spec.guildIds ?? [ids.guild]) {
    const guild = world.requireGuild(guildId);
    const roleIds: string[] = [];
    if (spec.permissions !== undefined) {
      const roleId = nextSnowflake();
      guild.roles.set(roleId, role(roleId, `${spec.username}-role`, spec.permissions, 1));
      roleIds.push(roleId);
    }
    addMember(guild, spec.id, roleIds);
  }
}

export function addChannel(world: World, spec: ChannelSpec): FakeChannel {
  const id = spec.id ?? nextSnowflake();
  const parent = spec.parentId ? world.requireChannel(spec.parentId) : undefined;
  const guildId = spec.guildId ?? parent?.guildId ?? ids.guild;
  world.requireGuild(guildId);
  const type = spec.type ?? ChannelType.GuildText;
  const channel: FakeChannel = {
    id,
    guildId,
    type,
    name: spec.name,
    position: world.channelsOf(guildId).length,
    parentId: spec.parentId ?? null,
    topic: spec.topic ?? null,
    nsfw: false,
    rateLimitPerUser: 0,
    overwrites: [],
    lastMessageId: null,
  };
  if (world.isThread(channel)) {
    if (!parent) throw new Error(`FakeDiscord: thread ${spec.name} needs a parentId`);
    const ownerId = spec.ownerId ?? world.botUserId;
    channel.thread = {
      ownerId,
      archived: false,
      locked: false,
      autoArchiveDuration: 1440,
      createdAt: isoOf(id),
      memberIds: new Set(spec.threadMemberIds ?? [ownerId, world.botUserId]),
      appliedTags: [],
      messageCount: 0,
    };
  }
  world.channels.set(id, channel);
  return channel;
}

export function addOverwrite(world: World, spec: OverwriteSpec): FakeChannel {
  const channel = world.requireChannel(spec.channelId);
  const guild = world.requireGuild(channel.guildId);
  const targetId = spec.targetId ?? world.botUserId;
  const isRole = spec.type ? spec.type === "role" : guild.roles.has(targetId);
  world.setOverwrite(channel.id, {
    id: targetId,
    type: isRole ? 0 : 1,
    allow: spec.allow ?? 0n,
    deny: spec.deny ?? 0n,
  });
  return channel;
}
