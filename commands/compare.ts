import { answerCompare, LOOKUP_KINDS } from "../src/answers/lookups.ts";
import { defineCommand, EVERYWHERE, hideOption, lookupOption, mentionOption } from "../src/command-kit/definition.ts";
import { lookupResult, suggestChoices } from "../src/command-kit/lookup.ts";

const PINNED = [
  "llama",
  "qwen",
  "deepseek",
  "mistral",
  "gemma",
  "olmo",
  "apache-2.0",
  "mit",
  "llama-4",
  "gemma-terms",
].map((id) => ({
  kind: (id.includes("-") || id === "mit" ? "license" : "family") as "license" | "family",
  id,
}));

export default defineCommand({
  definition: {
    name: "compare",
    description: "Two model families or two licences side by side",
    ...EVERYWHERE,
    options: [
      lookupOption("first", "A family or licence"),
      lookupOption("second", "Another family or licence"),
      hideOption,
      mentionOption,
    ],
  } as const,
  run({ knowledge }, options) {
    return lookupResult(knowledge, "compare", answerCompare(knowledge, options.first, options.second), options);
  },
  autocomplete({ knowledge }, focused) {
    return suggestChoices(knowledge, focused.value, LOOKUP_KINDS.compare, PINNED);
  },
});
