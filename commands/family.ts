import { licenceHistoryAnswer } from "../src/answers/entries.ts";
import { answerFamily, LOOKUP_KINDS } from "../src/answers/lookups.ts";
import {
  defineCommand,
  detailsOption,
  EVERYWHERE,
  hideOption,
  lookupOption,
  mentionOption,
} from "../src/command-kit/definition.ts";
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
    ...EVERYWHERE,
    options: [
      lookupOption("name", "A family, lab or model, e.g. qwen, Moonshot, DeepSeek-R1"),
      hideOption,
      mentionOption,
      detailsOption([
        { name: "Full card: licences, models, unconfirmed points", value: "full" },
        { name: "What changed in the licence, version by version", value: "versions" },
      ]),
    ],
  } as const,
  primaryOption: "name",
  viewOption: "details",
  run({ knowledge }, options) {
    const answer = answerFamily(knowledge, options.name);
    if (options.details === "versions" && answer.type === "family") {
      const history = licenceHistoryAnswer(knowledge, answer.family.id)!;
      return lookupResult(knowledge, "family", history, { ...options, details: "full" });
    }
    return lookupResult(knowledge, "family", answer, options);
  },
  autocomplete({ knowledge }, focused) {
    return suggestChoices(knowledge, focused.value, LOOKUP_KINDS.family, PINNED);
  },
});
