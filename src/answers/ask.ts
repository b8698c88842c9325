import { comparison } from "./ask/comparison-step.ts";
import { decline, opinion, outOfScope } from "./ask/decline-and-scope.ts";
import { unknown } from "./ask/entry-result.ts";
import { fit } from "./ask/fit-step.ts";
import { clauseVerdict, whichLicence } from "./ask/licence-steps.ts";
import { list } from "./ask/lists-step.ts";
import { contentGap, definition, namedEntry, unknownLicensee, unknownModel, wholeName } from "./ask/names.ts";
import { osaid, osaidConcept } from "./ask/osaid-steps.ts";
import { dominantSection, fullText, layerOverview } from "./ask/passages.ts";
import { type Question, read } from "./ask/question.ts";
import { tool } from "./ask/tool-step.ts";
import type { AskResult, Knowledge } from "./types.ts";

export { MIN_SUBJECT_SHARE } from "./ask/names.ts";
export { MIN_KNOWN_WORDS, MIN_SEARCH_SCORE, SECTION_LEAD, SECTION_MIN_SCORE } from "./ask/passages.ts";

type Step = (question: Question) => AskResult | null;

/**
 * `/ask`: the answer shaped by the question. Each step either answers or passes; the order is the
 * order of precedence, from what rules an answer out to what merely ranks one.
 */
const STEPS: readonly Step[] = [
  decline,
  fit,
  unknownModel,
  tool,
  contentGap,
  osaid,
  opinion,
  outOfScope,
  comparison,
  dominantSection,
  layerOverview,
  wholeName,
  list,
  whichLicence,
  clauseVerdict,
  definition,
  namedEntry,
  unknownLicensee,
  fullText,
  osaidConcept,
];

export function answerAsk(knowledge: Knowledge, text: string): AskResult {
  const question = read(knowledge, text);
  for (const step of STEPS) {
    const answer = step(question);
    if (answer) return answer;
  }
  return unknown(question, "not-covered");
}
