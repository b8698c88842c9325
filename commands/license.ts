import { answerLicence, LOOKUP_KINDS } from "../src/answers/lookups.ts";
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
  "apache-2.0",
  "mit",
  "llama-4",
  "llama-3.1",
  "gemma-terms",
  "deepseek-license",
  "kimi-modified-mit",
  "qwen-license",
  "mistral-research-license",
].map((id) => ({ kind: "license" as const, id }));

export default defineCommand({
  definition: {
    name: "license",
    description: "What a model licence lets you do (a licence, a family such as llama, or a model)",
    ...EVERYWHERE,
    options: [
      lookupOption("name", "A licence, model family or model, e.g. llama, apache-2.0, llama3.1"),
      hideOption,
      mentionOption,
      detailsOption([
        { name: "All clause answers", value: "clauses" },
        { name: "Full card: changes, models, unconfirmed points", value: "full" },
      ]),
    ],
  } as const,
  primaryOption: "name",
  viewOption: "details",
  run({ knowledge }, options) {
    return lookupResult(knowledge, "license", answerLicence(knowledge, options.name), options);
  },
  autocomplete({ knowledge }, focused) {
    return suggestChoices(knowledge, focused.value, LOOKUP_KINDS.license, PINNED);
  },
});
