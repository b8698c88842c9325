import { answerTerm, LOOKUP_KINDS } from "../src/answers/lookups.ts";
import { defineCommand, EVERYWHERE, hideOption, lookupOption, mentionOption } from "../src/command-kit/definition.ts";
import { lookupResult, suggestChoices } from "../src/command-kit/lookup.ts";

const PINNED = [
  "open-weights",
  "mixture-of-experts",
  "quantization",
  "osaid",
  "source-available",
  "acceptable-use-policy",
  "fine-tuning",
  "lora",
  "gguf",
  "context-window",
  "reasoning-model",
  "knowledge-distillation",
].map((id) => ({ kind: "term" as const, id }));

export default defineCommand({
  definition: {
    name: "term",
    description: "What a term from the open AI stack means",
    ...EVERYWHERE,
    options: [
      lookupOption("name", "A glossary term or abbreviation, e.g. moe, quantisation, OSAID"),
      hideOption,
      mentionOption,
    ],
  } as const,
  primaryOption: "name",
  run({ knowledge }, options) {
    return lookupResult(knowledge, "term", answerTerm(knowledge, options.name), options);
  },
  autocomplete({ knowledge }, focused) {
    return suggestChoices(knowledge, focused.value, LOOKUP_KINDS.term, PINNED);
  },
});
