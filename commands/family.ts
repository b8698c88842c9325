import { answerFamily, LOOKUP_KINDS } from "../src/answers/lookups.ts";
import { defineCommand, hideOption, lookupOption, mentionOption } from "../src/command-kit/definition.ts";
import { lookupResult, suggestChoices } from "../src/command-kit/lookup.ts";

const PINNED = [
  "qwen",
  "deepseek",
  "kimi",
  "glm",
  "llama",
  "mistral",
  "gemma",
  "olmo",
  "pythia",
  "gpt",
  "claude",
  "gemini",
].map((id) => ({
  kind: "family" as const,
  id,
}));

export default defineCommand({
  definition: {
    name: "family",
    description: "A model family: who makes it, under which licences, and how open it is",
    options: [
      lookupOption("name", "A family, lab or model, e.g. qwen, Moonshot, DeepSeek-R1"),
      hideOption,
      mentionOption,
    ],
  } as const,
  primaryOption: "name",
  run({ knowledge }, options) {
    return lookupResult(knowledge, "family", answerFamily(knowledge, options.name), options);
  },
  autocomplete({ knowledge }, focused) {
    return suggestChoices(knowledge, focused.value, LOOKUP_KINDS.family, PINNED);
  },
});
