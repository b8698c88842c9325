import { ApplicationCommandOptionType } from "discord-api-types/v10";
import { answerAsk } from "../src/answers/lookups.ts";
import { defineCommand, EVERYWHERE, hideOption, mentionOption } from "../src/command-kit/definition.ts";
import { lookupResult } from "../src/command-kit/lookup.ts";
import { cleanUserText } from "../src/payloads/escape.ts";
import { fitThreadName } from "../src/payloads/limits.ts";
import { isEphemeral } from "../src/payloads/reply.ts";

export default defineCommand({
  definition: {
    name: "ask",
    description: "Ask a question about open AI models, licences and terms",
    ...EVERYWHERE,
    options: [
      {
        name: "question",
        description: "Your question, e.g. is olmo fully open",
        type: ApplicationCommandOptionType.String,
        required: true,
        max_length: 500,
      },
      {
        name: "thread",
        description: "Open a thread on the answer for discussion",
        type: ApplicationCommandOptionType.Boolean,
      },
      hideOption,
      mentionOption,
    ],
  } as const,
  run({ knowledge }, options) {
    const result = lookupResult(knowledge, "ask", answerAsk(knowledge, options.question), options);
    return options.thread && !isEphemeral(result.reply)
      ? {
          ...result,
          thread: { name: fitThreadName(cleanUserText(options.question)) },
        }
      : result;
  },
});
