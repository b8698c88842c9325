import { ApplicationCommandOptionType, ChannelType } from "discord-api-types/v10";
import { defineCommand, SERVER_ONLY } from "../src/command-kit/definition.ts";
import {
  MANAGE_SERVER,
  requireBotPermissions,
  requireChannelType,
  requireManageServer,
} from "../src/command-kit/permissions.ts";
import type { ChannelPermission } from "../src/digest/services.ts";
import { notice } from "../src/payloads/reply.ts";

const ANSWERED_CHANNEL_TYPES = [ChannelType.GuildForum, ChannelType.GuildText] as const;
const ANSWER_NEEDS: readonly ChannelPermission[] = ["View Channel", "Send Messages in Threads", "Embed Links"];

export default defineCommand({
  definition: {
    name: "autoanswer",
    description: "Suggest answers on new posts in a forum or channel (Manage Server)",
    default_member_permissions: MANAGE_SERVER,
    ...SERVER_ONLY,
    options: [
      {
        name: "set",
        description: "Answer new posts in this forum (or text channel)",
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          {
            name: "channel",
            description: "A forum or text channel",
            type: ApplicationCommandOptionType.Channel,
            required: true,
            channel_types: ANSWERED_CHANNEL_TYPES,
          },
        ],
      },
      {
        name: "off",
        description: "Stop answering new posts (one channel, or everywhere)",
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          {
            name: "channel",
            description: "The channel to stop; leave empty for all",
            type: ApplicationCommandOptionType.Channel,
            channel_types: ANSWERED_CHANNEL_TYPES,
          },
        ],
      },
    ],
  } as const,
  needs: ["autoAnswer", "channels"],
  async run(context, options) {
    const guildId = requireManageServer(context);
    const { autoAnswer } = context.services;
    if (options.subcommand === "set") {
      requireChannelType(context, options.channel, ANSWERED_CHANNEL_TYPES);
      await requireBotPermissions(context, guildId, options.channel, ANSWER_NEEDS, "answer posts");
      await autoAnswer.set(guildId, options.channel);
      return {
        reply: notice(
          `I'll suggest answers on new posts in <#${options.channel}> when I find a good match; otherwise I stay quiet.`,
        ),
      };
    }
    const removed = await autoAnswer.off(guildId, options.channel);
    return {
      reply: notice(
        removed ? `Stopped answering new posts in ${removed} channel(s).` : "Nothing to stop: no channel was opted in.",
      ),
    };
  },
});
