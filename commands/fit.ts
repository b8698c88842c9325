import { ApplicationCommandOptionType } from "discord-api-types/v10";
import { answerFitCommand } from "../src/answers/fit/command.ts";
import { suggestFitModels, suggestFormats, suggestHardware, suggestRuntimes } from "../src/answers/fit/suggest.ts";
import { defineCommand, EVERYWHERE, hideOption, mentionOption } from "../src/command-kit/definition.ts";
import { lookupResult } from "../src/command-kit/lookup.ts";
import { fitChoices } from "../src/payloads/limits.ts";

const text = <const Name extends string>(name: Name, description: string, required = false) =>
  ({
    name,
    description,
    type: ApplicationCommandOptionType.String,
    autocomplete: true,
    max_length: 100,
    ...(required ? { required: true } : {}),
  }) as const;

export default defineCommand({
  definition: {
    name: "fit",
    description: "Will a model run on your hardware, and how fast (the site's fit method)",
    ...EVERYWHERE,
    options: [
      { ...text("model", "A model, or a size such as 70b"), required: true },
      text("hardware", "A card or machine (4090, m3 ultra, h100, spark), or its memory (24 GB)"),
      text("quant", "Weight format (default Q4_K_M; MLX 4-bit on a Mac)"),
      {
        name: "context",
        description: "Tokens of context to hold (default 8192)",
        type: ApplicationCommandOptionType.Integer,
        min_value: 256,
        max_value: 10_000_000,
      },
      text("runtime", "llama.cpp (default), vLLM, SGLang, MLX or ExLlamaV2"),
      {
        name: "units",
        description: "How many of the card or machine (default 1)",
        type: ApplicationCommandOptionType.Integer,
        min_value: 1,
        max_value: 64,
      },
      hideOption,
      mentionOption,
    ],
  } as const,
  primaryOption: "model",
  run({ knowledge }, options) {
    return lookupResult(knowledge, "fit", answerFitCommand(knowledge, options), options);
  },
  autocomplete({ knowledge }, focused) {
    const suggest = {
      model: () => suggestFitModels(knowledge.kb, focused.value),
      hardware: () => suggestHardware(knowledge.kb, focused.value),
      quant: () => suggestFormats(focused.value),
      runtime: () => suggestRuntimes(focused.value),
    }[focused.name];
    return fitChoices(suggest?.() ?? []);
  },
});
