import { ApplicationCommandType } from "discord-api-types/v10";
import { answerExplain } from "../src/answers/explain.ts";
import { UserFacingError } from "../src/answers/user-facing-error.ts";
import { defineCommand, EVERYWHERE } from "../src/command-kit/definition.ts";
import { render } from "../src/payloads/render/index.ts";
import { reply } from "../src/payloads/reply.ts";

/**
 * "Explain with Stackbot", on any message (right-click > Apps): what the message names, each in
 * one line, shown only to the person who asked. Interactions carry the message's text, so no
 * privileged intent is needed.
 */
export default defineCommand({
  definition: {
    name: "Explain with Stackbot",
    description: "",
    type: ApplicationCommandType.Message,
    ...EVERYWHERE,
  } as const,
  run({ knowledge, targetMessage }) {
    if (!targetMessage) throw new UserFacingError("Use this on a message: right-click it, then Apps.");
    const answer = answerExplain(knowledge, targetMessage.content);
    return {
      reply: reply(render(answer, { command: "explain", hidden: true }), { ephemeral: true }),
    };
  },
});
