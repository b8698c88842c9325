import { ApplicationCommandOptionType } from "discord-api-types/v10";
import { defineCommand, SERVER_ONLY } from "../src/command-kit/definition.ts";
import {
  MANAGE_SERVER,
  POST_CHANNEL_TYPES,
  requireManageServer,
  requirePostableChannel,
} from "../src/command-kit/permissions.ts";
import { renderGapsReport } from "../src/payloads/render/gaps.ts";
import { notice, reply } from "../src/payloads/reply.ts";

export default defineCommand({
  definition: {
    name: "gaps",
    description: "What members asked that the content did not answer, and answers marked wrong (Manage Server)",
    default_member_permissions: MANAGE_SERVER,
    ...SERVER_ONLY,
    options: [
      {
        name: "show",
        description: "The top gaps and the answers most often marked wrong",
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          {
            name: "days",
            description: "Over the last 7 (default) or 30 days",
            type: ApplicationCommandOptionType.Integer,
            choices: [
              { name: "7 days", value: 7 },
              { name: "30 days", value: 30 },
            ],
          },
        ],
      },
      {
        name: "settings",
        description: "Whether question text is kept, and for how long (off unless turned on)",
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          {
            name: "keep_text",
            description: "Keep the text of unanswered questions",
            type: ApplicationCommandOptionType.Boolean,
          },
          {
            name: "retention_days",
            description: "Days question text is kept (default 30)",
            type: ApplicationCommandOptionType.Integer,
            min_value: 1,
            max_value: 365,
          },
        ],
      },
      {
        name: "weekly",
        description: "Post this report every Monday in a channel you choose, or stop it",
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          {
            name: "channel",
            description: "A text or announcement channel (admins only, ideally: kept question text shows there)",
            type: ApplicationCommandOptionType.Channel,
            channel_types: POST_CHANNEL_TYPES,
          },
          {
            name: "off",
            description: "Stop the weekly post",
            type: ApplicationCommandOptionType.Boolean,
          },
        ],
      },
      {
        name: "forget",
        description: "Delete everything recorded for this server, counts included",
        type: ApplicationCommandOptionType.Subcommand,
      },
    ],
  } as const,
  needs: ["gaps", "channels"],
  async run(context, options) {
    const guildId = requireManageServer(context);
    const { gaps } = context.services;
    if (options.subcommand === "show") {
      return { reply: reply(renderGapsReport(await gaps.report(guildId, options.days ?? 7)), { ephemeral: true }) };
    }
    if (options.subcommand === "weekly") {
      if (options.off) {
        await gaps.setReportChannel(guildId, null);
        return { reply: notice("The weekly gaps report is off.") };
      }
      if (options.channel) {
        await requirePostableChannel(context, guildId, options.channel);
        await gaps.setReportChannel(guildId, options.channel);
        return {
          reply: notice(
            `Saved. Every Monday I post the past week's report (Monday to Sunday, UTC) in <#${options.channel}>; the first, next Monday, covers this week.`,
          ),
        };
      }
      const channel = await gaps.reportChannel(guildId);
      return {
        reply: notice(
          channel
            ? `The weekly gaps report goes to <#${channel}> every Monday (UTC). \`/gaps weekly off:true\` stops it.`
            : "The weekly gaps report is off. `/gaps weekly channel:#staff` turns it on.",
        ),
      };
    }
    if (options.subcommand === "forget") {
      const removed = await gaps.forget(guildId);
      return { reply: notice(`Deleted ${removed} record(s) for this server; question text is no longer kept.`) };
    }
    const current = await gaps.settings(guildId);
    const changed = options.keep_text !== undefined || options.retention_days !== undefined;
    const settings = changed
      ? await gaps.setSettings(guildId, {
          keepText: options.keep_text ?? current.keepText,
          retentionDays: options.retention_days ?? current.retentionDays,
        })
      : current;
    return {
      reply: notice(
        `${changed ? "Saved. " : ""}Question text: **${settings.keepText ? `kept for ${settings.retentionDays} days` : "not kept"}** (counts and unknown names are always kept; \`/gaps forget\` deletes everything).`,
      ),
    };
  },
});
