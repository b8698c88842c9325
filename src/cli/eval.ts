import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { evaluateAsk, parseAskFile, summarizeAsk } from "../answers/ask-eval.ts";
import { evaluateCase, parseEvalFile, summarize } from "../answers/evaluate.ts";
import { loadKnowledge } from "../answers/knowledge-loader.ts";
import type { Knowledge } from "../answers/types.ts";
import { lookupResult } from "../command-kit/lookup.ts";
import { firstScreenLength } from "../payloads/limits.ts";

const DEFAULT_QUERIES = fileURLToPath(new URL("../../test/queries.tsv", import.meta.url));
const DEFAULT_ASK_QUESTIONS = fileURLToPath(new URL("../../test/ask-questions.tsv", import.meta.url));
const TARGET_TOP1 = 0.95;
const TARGET_SHAPE = 0.95;
const FIRST_SCREEN_MAX = 1200;

const percent = (part: { total: number; correct: number }) =>
  `${((part.correct / (part.total || 1)) * 100).toFixed(1)}% (${part.correct}/${part.total})`;

/** The /ask question set: accuracy per shape, verdicts, abstention both ways, the longest first screen. */
function evaluateAskSet(knowledge: Knowledge, file: string, verbose: boolean): boolean {
  const outcomes = parseAskFile(readFileSync(file, "utf8")).map((testCase) => evaluateAsk(knowledge, testCase));
  let longest = { length: 0, question: "" };
  for (const outcome of outcomes) {
    const { reply } = lookupResult(knowledge, "ask", outcome.answer, {});
    const length = firstScreenLength(reply as Parameters<typeof firstScreenLength>[0]);
    if (length > longest.length) longest = { length, question: outcome.question };
    if (!outcome.correct || verbose) {
      console.log(
        `${outcome.correct ? "ok  " : "MISS"} [${outcome.shape}] ${outcome.question} -> ${outcome.got}${outcome.gotVerdict ? ` (${outcome.gotVerdict})` : ""} (expected ${outcome.expected}${outcome.verdict ? ` ${outcome.verdict}` : ""})`,
      );
    }
  }
  const summary = summarizeAsk(outcomes);
  console.log(`\n/ask question set: ${outcomes.length} questions`);
  console.log("| shape | accuracy |\n| --- | --- |");
  for (const [shape, part] of Object.entries(summary.byShape)) console.log(`| ${shape} | ${percent(part)} |`);
  console.log(`| verdict (clause questions) | ${percent(summary.verdicts)} |`);
  console.log(`| abstains when it should | ${percent(summary.abstainWhenShould)} |`);
  console.log(`| answers when it should (no wrong abstention) | ${percent(summary.answerWhenShould)} |`);
  console.log(`| longest first screen | ${longest.length} characters ("${longest.question}") |`);
  const rates = [
    ...Object.values(summary.byShape),
    summary.verdicts,
    summary.abstainWhenShould,
    summary.answerWhenShould,
  ].map((part) => part.correct / (part.total || 1));
  return rates.every((rate) => rate >= TARGET_SHAPE) && longest.length <= FIRST_SCREEN_MAX;
}

function main(): number {
  const { values } = parseArgs({
    options: {
      queries: { type: "string" },
      questions: { type: "string" },
      content: { type: "string" },
      verbose: { type: "boolean" },
    },
  });
  const { knowledge, errors } = loadKnowledge(values.content);
  if (!knowledge) {
    console.error(`content has ${errors.length} error(s); run npm run content:check`);
    return 1;
  }
  const cases = parseEvalFile(readFileSync(values.queries ?? DEFAULT_QUERIES, "utf8"));
  const outcomes = cases.map((testCase) => evaluateCase(knowledge, testCase));
  for (const outcome of outcomes) {
    if (!outcome.correct || values.verbose) {
      console.log(
        `${outcome.correct ? "ok  " : "MISS"} /${outcome.command} ${outcome.query} -> ${outcome.got} (expected ${outcome.expected}, rank ${outcome.rank ?? "-"})`,
      );
    }
  }
  const { total, top1, mrr } = summarize(outcomes);
  console.log(
    `${total} queries · top-1 ${(top1 * 100).toFixed(1)}% · MRR ${mrr.toFixed(3)} · target top-1 ≥ ${TARGET_TOP1 * 100}%`,
  );
  const askPassed = evaluateAskSet(knowledge, values.questions ?? DEFAULT_ASK_QUESTIONS, values.verbose === true);
  return top1 >= TARGET_TOP1 && askPassed ? 0 : 1;
}

process.exitCode = main();
