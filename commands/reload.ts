import { ApplicationCommandOptionType } from "discord-api-types/v10";
import { UserFacingError } from "../src/answers/user-facing-error.ts";
import { defineCommand, SERVER_ONLY } from "../src/command-kit/definition.ts";
import { notice } from "../src/payloads/reply.ts";

export default defineCommand({
  definition: {
    name: "reload",
    description: "Reload the bot's content from disk (bot owners only)",
    // Hidden from everyone but administrators; the owner check below still decides.
    default_member_permissions: "0",
    ...SERVER_ONLY,
    options: [
      {
        name: "status",
        description: "Only show where the content comes from and how the last sync went",
        type: ApplicationCommandOptionType.Boolean,
      },
    ],
  } as const,
  needs: ["content"],
  defer: "ephemeral",
  async run({ isOwner, services, knowledge }, options) {
    if (!isOwner) throw new UserFacingError("Only the bot's owners can reload its content.");
    if (options.status) {
      const status = services.content.status();
      const { kb } = knowledge;
      const lines = status
        ? [
            `**Source:** ${status.source}`,
            `**Serving:** ${status.serving}`,
            `**Last sync:** ${status.lastSync ? `${status.lastSync.result} (${status.lastSync.at})` : "none since start"}`,
          ]
        : [
            `**Source:** ${kb.origin === "site" ? "a checkout of the site (CONTENT_DIR)" : "the bundled content"}, updated ${kb.contentDate ?? "(undated)"}`,
          ];
      return { reply: notice(lines.join("\n")) };
    }
    const outcome = await services.content.reload();
    if (outcome.ok) return { reply: notice(`Reloaded: ${outcome.summary}.`) };
    const shown = outcome.errors.slice(0, 10).map((line) => `• ${line}`);
    const more = outcome.errors.length > 10 ? `\n…and ${outcome.errors.length - 10} more (see the log).` : "";
    return {
      reply: notice(
        `The new content has ${outcome.errors.length} error(s); I kept serving the previous content.\n${shown.join("\n")}${more}`,
      ),
    };
  },
});
