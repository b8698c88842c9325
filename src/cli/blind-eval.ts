import { readFileSync } from "node:fs";
import { z } from "zod";
import { answerAsk } from "../answers/ask.ts";
import type { AskResult, Knowledge } from "../answers/types.ts";
import { firstScreenLength, firstScreenText } from "../payloads/limits.ts";
import { render } from "../payloads/render/index.ts";

/**
 * The blind question set (`test/blind/*.jsonl`): questions written by people who read neither the
 * content nor the code, each with what a right first screen must and must not say. Judged on the
 * text a member would see, so it measures the answer, not the route the code took.
 */
export const blindCase = z.object({
  id: z.string(),
  kind: z.string(),
  question: z.string(),
  polarity: z.string().nullish(),
  first: z.enum(["yes", "no", "depends"]).nullish(),
  must: z.array(z.string()).default([]),
  must_not: z.array(z.string()).default([]),
});
export type BlindCase = z.infer<typeof blindCase>;

export function parseBlindFile(path: string): BlindCase[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => blindCase.parse(JSON.parse(line)));
}

export interface BlindOutcome {
  testCase: BlindCase;
  answerKind: string;
  firstWord: "yes" | "no" | "depends" | null;
  screen: string;
  screenLength: number;
  correct: boolean;
  /** Why it is wrong, in a few words. */
  why: string | null;
  /** A first word that contradicts the expected one: yes for no, or no for yes. */
  polarityError: boolean;
  /** A must-not phrase shown: a wrong fact on the first screen. */
  wrongFact: boolean;
  abstained: boolean;
}

/** The kind of answer as the blind set names kinds. */
export function answerKind(answer: AskResult): string {
  switch (answer.type) {
    case "ask":
      return answer.best.type === "term" ? "definition" : answer.best.type === "section" ? "passage" : answer.best.type;
    case "unknown":
    case "not-found":
      return "unknown";
    default:
      return answer.type;
  }
}

/** A phrase with "|" alternatives, matched from a word start; short ones (MIT, EU) as whole words. */
function shows(screen: string, phrase: string): boolean {
  return phrase.split("|").some((alternative) => {
    const text = alternative.trim().toLowerCase();
    if (!text) return false;
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const end = text.length <= 4 ? "(?![a-z0-9])" : "";
    return new RegExp(`(?<![a-z0-9])${escaped}${end}`).test(screen.toLowerCase());
  });
}

/** The verdict's first words: the first bold opening that says yes, no, or a condition. */
export function firstWordOf(screen: string): "yes" | "no" | "depends" | null {
  const body = screen.replace(/^\*\*Asked:\*\*.*$/m, "");
  const match = /\*\*(yes|no|only if|it depends|depends|not confirmed|the licen[cs]e does not say)\b([^*]{0,40})/i.exec(
    body,
  );
  if (!match) return null;
  const word = match[1]!.toLowerCase();
  const rest = match[2]!.toLowerCase();
  if (word === "yes") return /^,? (?:unless|if|with conditions|but only)/.test(rest) ? "depends" : "yes";
  if (word === "no") return /^,? unless/.test(rest) ? "depends" : "no";
  if (word === "only if" || word.endsWith("depends")) return "depends";
  return null;
}

const ABSTAINS = new Set(["unknown", "decline"]);

/**
 * "Yes, unless you had over 700M users" starts with yes and is a yes for anyone the exception does
 * not cover: it fits an expected yes, as it fits an expected "it depends". A bare yes or no never
 * fits "depends".
 */
function firstWordFits(
  expected: "yes" | "no" | "depends",
  got: "yes" | "no" | "depends" | null,
  screen: string,
): boolean {
  if (got === expected) return true;
  return expected === "yes" && got === "depends" && /\*\*yes, unless\b/i.test(screen);
}

export function judge(knowledge: Knowledge, testCase: BlindCase): BlindOutcome {
  const answer = answerAsk(knowledge, testCase.question);
  const parts = render(answer, { command: "ask", hidden: false });
  const screen = firstScreenText(parts);
  const kind = answerKind(answer);
  const firstWord = firstWordOf(screen);
  const abstained = ABSTAINS.has(kind);
  const missing = testCase.must.filter((phrase) => !shows(screen, phrase));
  const shown = testCase.must_not.filter((phrase) => shows(screen, phrase));
  let why: string | null = null;
  const expected = testCase.first ?? null;
  // Yes for no, or no for yes: the misreading that hurts most.
  const polarityError =
    (expected === "yes" || expected === "no") && (firstWord === "yes" || firstWord === "no") && firstWord !== expected;
  switch (testCase.kind) {
    case "decline":
      // An off-topic request ("good pizza place in Lyon?") gets "that's outside what I know": a refusal either way.
      if (!abstained) why = `expected a decline, got ${kind}`;
      break;
    case "unknown":
      if (kind !== "unknown") why = `expected "I don't know", got ${kind}`;
      break;
    case "tool":
      if (missing.length && !abstained) why = `missing ${missing.join(", ")}`;
      break;
    default:
      if (abstained) why = `abstained (${kind})`;
      else if (expected && !firstWordFits(expected, firstWord, screen))
        why = `first word ${firstWord ?? "none"}, expected ${expected}`;
      else if (missing.length) why = `missing ${missing.join(", ")}`;
  }
  if (!why && shown.length) why = `shows ${shown.join(", ")}`;
  return {
    testCase,
    answerKind: kind,
    firstWord,
    screen,
    screenLength: firstScreenLength(parts),
    correct: why === null,
    why,
    polarityError,
    wrongFact: shown.length > 0,
    abstained,
  };
}

export interface BlindSummary {
  total: number;
  correct: number;
  byKind: Map<string, { total: number; correct: number }>;
  verdicts: { total: number; correct: number };
  polarityErrors: number;
  wrongFacts: number;
  /** Should abstain (unknown, decline) and did. */
  abstainWhenShould: { total: number; correct: number };
  /** Should answer and did not abstain. */
  answerWhenShould: { total: number; correct: number };
  longest: { length: number; id: string };
}

export function summarizeBlind(outcomes: readonly BlindOutcome[]): BlindSummary {
  const byKind = new Map<string, { total: number; correct: number }>();
  const summary: BlindSummary = {
    total: outcomes.length,
    correct: 0,
    byKind,
    verdicts: { total: 0, correct: 0 },
    polarityErrors: 0,
    wrongFacts: 0,
    abstainWhenShould: { total: 0, correct: 0 },
    answerWhenShould: { total: 0, correct: 0 },
    longest: { length: 0, id: "" },
  };
  for (const outcome of outcomes) {
    const { testCase } = outcome;
    const kind = byKind.get(testCase.kind) ?? { total: 0, correct: 0 };
    byKind.set(testCase.kind, kind);
    kind.total++;
    if (outcome.correct) {
      kind.correct++;
      summary.correct++;
    }
    if (testCase.first) {
      summary.verdicts.total++;
      if (firstWordFits(testCase.first, outcome.firstWord, outcome.screen)) summary.verdicts.correct++;
    }
    if (outcome.polarityError) summary.polarityErrors++;
    if (outcome.wrongFact) summary.wrongFacts++;
    const shouldAbstain = testCase.kind === "unknown" || testCase.kind === "decline";
    const part = shouldAbstain ? summary.abstainWhenShould : summary.answerWhenShould;
    if (testCase.kind !== "tool") {
      part.total++;
      if (outcome.abstained === shouldAbstain) part.correct++;
    }
    if (outcome.screenLength > summary.longest.length)
      summary.longest = { length: outcome.screenLength, id: testCase.id };
  }
  return summary;
}
