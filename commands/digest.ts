import { ApplicationCommandOptionType } from "discord-api-types/v10";
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  type OptionsOf,
  SERVER_ONLY,
} from "../src/command-kit/definition.ts";
import {
  MANAGE_SERVER,
  POST_CHANNEL_TYPES,
  requireManageServer,
  requirePostableChannel,
} from "../src/command-kit/permissions.ts";
import type { DigestStatus } from "../src/digest/services.ts";
import { notice, reply } from "../src/payloads/reply.ts";

function describeStatus(status: DigestStatus): string {
  const lines = [
    `**Channel:** <#${status.channelId}>`,
    `**Time:** ${status.time} (${status.timezone})`,
    status.enabled
      ? `**Next post:** ${status.nextPost ?? "not scheduled"}`
      : `**Disabled:** ${status.disabledReason ?? "turned off"}`,
    `**Last post:** ${status.lastPost ? `${status.lastPost.localDate}${status.lastPost.link ? ` (${status.lastPost.link})` : ""}` : "none yet"}`,
  ];
  if (status.unfinished)
    lines.push(
      `**Unfinished:** the ${status.unfinished.localDate} digest was claimed at ${status.unfinished.claimedAt.slice(11, 16)} UTC by an instance that did not finish; a live instance takes it over within the grace window.`,
    );
  if (status.lastError) lines.push(`**Last error:** ${status.lastError}`);
  return lines.join("\n");
}

const definition = {
  name: "digest",
  description: "The daily digest: where and when it is posted (Manage Server)",
  default_member_permissions: MANAGE_SERVER,
  ...SERVER_ONLY,
  options: [
    {
      name: "set",
      description: "Post a daily digest in a channel at a local time",
      type: ApplicationCommandOptionType.Subcommand,
      options: [
        {
          name: "channel",
          description: "A text or announcement channel",
          type: ApplicationCommandOptionType.Channel,
          required: true,
          channel_types: POST_CHANNEL_TYPES,
        },
        {
          name: "time",
          description: "Local time, HH:MM (24-hour)",
          type: ApplicationCommandOptionType.String,
          required: true,
          max_length: 5,
        },
        {
          name: "timezone",
          description: "An IANA timezone such as Europe/Berlin (default UTC)",
          type: ApplicationCommandOptionType.String,
          autocomplete: true,
          max_length: 64,
        },
      ],
    },
    { name: "off", description: "Stop the daily digest", type: ApplicationCommandOptionType.Subcommand },
    {
      name: "status",
      description: "Where and when the digest posts, and how the last one went",
      type: ApplicationCommandOptionType.Subcommand,
    },
    {
      name: "preview",
      description: "Today's digest, shown only to you",
      type: ApplicationCommandOptionType.Subcommand,
    },
  ],
} as const;

type Options = OptionsOf<typeof definition>;
type Context = CommandContext<"digest" | "channels">;
type Handlers = {
  [K in Options["subcommand"]]: (
    context: Context,
    options: Extract<Options, { subcommand: K }>,
    guildId: string,
  ) => CommandResult | Promise<CommandResult>;
};

const handlers: Handlers = {
  async set(context, options, guildId) {
    await requirePostableChannel(context, guildId, options.channel);
    const status = await context.services.digest.set(guildId, {
      channelId: options.channel,
      time: options.time,
      timezone: options.timezone ?? "UTC",
    });
    return { reply: notice(`Daily digest set.\n${describeStatus(status)}`) };
  },
  off: async ({ services }, _options, guildId) => ({
    reply: notice(
      (await services.digest.off(guildId)) ? "The daily digest is off." : "There was no daily digest to turn off.",
    ),
  }),
  async status({ services }, _options, guildId) {
    const status = await services.digest.status(guildId);
    return {
      reply: notice(status ? describeStatus(status) : "No daily digest is set. Use `/digest set` to start one."),
    };
  },
  preview: async ({ services }, _options, guildId) => ({
    reply: reply(await services.digest.preview(guildId), { ephemeral: true }),
  }),
};

export default defineCommand({
  definition,
  needs: ["digest", "channels"],
  // The preview may wait on the news feed, which can outlast Discord's 3-second window.
  defer: (options) => (options.subcommand === "preview" ? "ephemeral" : null),
  run(context, options) {
    const guildId = requireManageServer(context);
    const handler = handlers[options.subcommand] as (
      context: Context,
      options: Options,
      guildId: string,
    ) => CommandResult | Promise<CommandResult>;
    return handler(context, options, guildId);
  },
  autocomplete({ services }, focused) {
    const zones = services.digest.timezones(focused.value);
    return zones.map((zone) => ({ name: zone, value: zone }));
  },
});
