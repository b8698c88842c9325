import { answerKey } from "./answer-ref.ts";
import { answerAsk } from "./ask.ts";
import type { AskResult, Knowledge } from "./types.ts";

/** The shapes a `/ask` question can take, as the question set labels them. */
export const ASK_SHAPES = ["clause", "licence-of", "list", "compare", "definition", "entry", "fit", "abstain"] as const;
export type AskShape = (typeof ASK_SHAPES)[number];

export interface AskCase {
  shape: AskShape;
  question: string;
  /** `license:<id>#<clause>`, `license:<id>`, `list:<rule>`, `compare:<a>|<b>`, `<kind>:<id>`, or `none`. */
  expected: string;
  verdict: string | null;
}

export interface AskOutcome extends AskCase {
  answer: AskResult;
  got: string;
  gotVerdict: string | null;
  correct: boolean;
}

/** The key an answer is scored by, in the question set's notation; "none" for "I don't know". */
export function askKey(answer: AskResult): string {
  return answer.type === "unknown" || answer.type === "not-found" || answer.type === "decline"
    ? "none"
    : answerKey(answer);
}

function sameKey(expected: string, got: string): boolean {
  if (expected === got) return true;
  if (!expected.startsWith("compare:") || !got.startsWith("compare:")) return false;
  const sides = (key: string) => key.slice("compare:".length).split("|").sort().join("|");
  return sides(expected) === sides(got);
}

export function evaluateAsk(knowledge: Knowledge, testCase: AskCase): AskOutcome {
  const answer = answerAsk(knowledge, testCase.question);
  const got = askKey(answer);
  const gotVerdict = answer.type === "clause" ? answer.fact.verdict : null;
  const keyRight = sameKey(testCase.expected, got);
  const correct = keyRight && (testCase.shape !== "clause" || !testCase.verdict || gotVerdict === testCase.verdict);
  return { ...testCase, answer, got, gotVerdict, correct };
}

export interface AskSummary {
  byShape: Record<string, { total: number; correct: number }>;
  verdicts: { total: number; correct: number };
  /** Questions the content cannot answer, and how many got "I don't know". */
  abstainWhenShould: { total: number; correct: number };
  /** Questions it can answer, and how many did NOT get "I don't know". */
  answerWhenShould: { total: number; correct: number };
}

export function summarizeAsk(outcomes: readonly AskOutcome[]): AskSummary {
  const byShape: AskSummary["byShape"] = {};
  const verdicts = { total: 0, correct: 0 };
  const abstainWhenShould = { total: 0, correct: 0 };
  const answerWhenShould = { total: 0, correct: 0 };
  for (const outcome of outcomes) {
    const shape = byShape[outcome.shape] ?? { total: 0, correct: 0 };
    byShape[outcome.shape] = shape;
    shape.total++;
    if (outcome.correct) shape.correct++;
    if (outcome.shape === "clause" && outcome.verdict) {
      verdicts.total++;
      if (outcome.gotVerdict === outcome.verdict) verdicts.correct++;
    }
    const abstained = outcome.got === "none";
    if (outcome.expected === "none") {
      abstainWhenShould.total++;
      if (abstained) abstainWhenShould.correct++;
    } else {
      answerWhenShould.total++;
      if (!abstained) answerWhenShould.correct++;
    }
  }
  return { byShape, verdicts, abstainWhenShould, answerWhenShould };
}

export function parseAskFile(text: string): AskCase[] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => {
      const [shape = "", question = "", expected = "", verdict = ""] = line.split("\t");
      if (!(ASK_SHAPES as readonly string[]).includes(shape))
        throw new Error(`ask questions: unknown shape "${shape}" in: ${line}`);
      return { shape: shape as AskShape, question, expected: expected.trim(), verdict: verdict.trim() || null };
    });
}
