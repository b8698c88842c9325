import type { EntryRef } from "../knowledge/types.ts";
import { answerRef } from "./answer-ref.ts";
import { answerAsk, answerFamily, answerLicence, answerTerm, LOOKUP_KINDS } from "./lookups.ts";
import type { Answer, Knowledge } from "./types.ts";

export interface EvalCase {
  command: keyof typeof ANSWER;
  query: string;
  /** `kind:id`, or "none" when nothing should be found. */
  expected: string;
}

export interface EvalOutcome extends EvalCase {
  got: string;
  rank: number | null;
  correct: boolean;
}

const ANSWER = {
  license: answerLicence,
  family: answerFamily,
  term: answerTerm,
  ask: answerAsk,
} as const satisfies Record<string, (knowledge: Knowledge, query: string) => Answer>;

export function isEvalCommand(command: string): command is EvalCase["command"] {
  return command in ANSWER;
}

const key = (ref: EntryRef | null) => (ref ? `${ref.kind}:${ref.id}` : "none");

/**
 * Runs one query the way its command does. Top-1 is the entry the command answers with; the rank
 * (for mean reciprocal rank) is the expected entry's place among the suggestions, mapped the way
 * the command maps them (a model to its family for /family, and so on).
 */
export function evaluateCase(knowledge: Knowledge, testCase: EvalCase): EvalOutcome {
  const answer = ANSWER[testCase.command](knowledge, testCase.query);
  const got = key(answerRef(answer));
  const ranked =
    answer.type === "not-found"
      ? answer.suggestions.map((hit) => key(answerRef(ANSWER[testCase.command](knowledge, hit.id)) ?? hit))
      : [
          got,
          ...knowledge.index
            .lookup(testCase.query, { kinds: LOOKUP_KINDS[testCase.command], limit: 10 })
            .map((hit) => key(hit)),
        ];
  const position = [...new Set(ranked)].indexOf(testCase.expected);
  const correct = testCase.expected === "none" ? answer.type === "not-found" : got === testCase.expected;
  return { ...testCase, got, rank: testCase.expected === "none" ? null : position >= 0 ? position + 1 : null, correct };
}

export function summarize(outcomes: readonly EvalOutcome[]): { total: number; top1: number; mrr: number } {
  const ranked = outcomes.filter((outcome) => outcome.expected !== "none");
  const mrr =
    ranked.reduce((sum, outcome) => sum + (outcome.correct ? 1 : outcome.rank ? 1 / outcome.rank : 0), 0) /
    (ranked.length || 1);
  return {
    total: outcomes.length,
    top1: outcomes.filter((outcome) => outcome.correct).length / (outcomes.length || 1),
    mrr,
  };
}

export function parseEvalFile(text: string): EvalCase[] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => {
      const [command = "", query = "", expected = ""] = line.split("\t");
      if (!isEvalCommand(command)) throw new Error(`queries: unknown command "${command}" in: ${line}`);
      return { command, query, expected: expected.trim() };
    });
}
