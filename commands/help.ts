import { answerHelp } from "../src/answers/lookups.ts";
import { defineCommand, EVERYWHERE, hideOption } from "../src/command-kit/definition.ts";
import { render } from "../src/payloads/render/index.ts";
import { reply } from "../src/payloads/reply.ts";

export default defineCommand({
  definition: {
    name: "help",
    description: "What Stackbot can answer, and how",
    ...EVERYWHERE,
    options: [hideOption],
  } as const,
  run({ knowledge }, options) {
    const parts = render(answerHelp(knowledge), {
      command: "help",
      hidden: true,
    });
    return { reply: reply(parts, { ephemeral: options.hide !== false }) };
  },
});
