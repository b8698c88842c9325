/**
 * What the benchmarks ask: the query lines of test/queries.tsv turned into each command's raw
 * options, and every prefix of every entry name for autocomplete.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAskFile } from "../src/answers/ask-eval.ts";
import { type EvalCase, parseEvalFile } from "../src/answers/evaluate.ts";
import type { KnowledgeBase } from "../src/knowledge/types.ts";

export const QUERIES_FILE = fileURLToPath(new URL("../test/queries.tsv", import.meta.url));
export const ASK_QUESTIONS_FILE = fileURLToPath(new URL("../test/ask-questions.tsv", import.meta.url));

export const LOOKUP_COMMANDS = ["license", "family", "term", "ask", "compare"] as const;
export type LookupCommand = (typeof LOOKUP_COMMANDS)[number];

/** Commands with an autocomplete handler, and the option it completes. */
export const AUTOCOMPLETE_COMMANDS = [
  { command: "license", option: "name" },
  { command: "family", option: "name" },
  { command: "term", option: "name" },
  { command: "compare", option: "first" },
] as const;
export type AutocompleteCommand = (typeof AUTOCOMPLETE_COMMANDS)[number]["command"];

export type RawOptions = Record<string, string | boolean>;

export interface CommandLine {
  command: LookupCommand;
  raw: RawOptions;
  /** For /compare: the two queries; otherwise the one. */
  queries: string[];
}

export function loadCases(): EvalCase[] {
  return parseEvalFile(readFileSync(QUERIES_FILE, "utf8"));
}

/** The /ask question set's questions: what /ask is timed on (its accuracy is `npm run eval`'s job). */
export function loadAskQuestions(): string[] {
  return parseAskFile(readFileSync(ASK_QUESTIONS_FILE, "utf8")).map((question) => question.question);
}

/**
 * Each command's lines: the query set's lines for license, family and term, the /ask question set for
 * ask; for compare, pairs of
 * consecutive /family lines (expecting families) and of /license lines (expecting licences) whose
 * expected entries differ.
 */
export function commandLines(
  cases: readonly EvalCase[],
  askQuestions: readonly string[] = loadAskQuestions(),
): Record<LookupCommand, CommandLine[]> {
  const lines: Record<LookupCommand, CommandLine[]> = { license: [], family: [], term: [], ask: [], compare: [] };
  for (const question of askQuestions) {
    lines.ask.push({ command: "ask", raw: { question }, queries: [question] });
  }
  for (const testCase of cases) {
    const option = testCase.command === "ask" ? "question" : "name";
    lines[testCase.command].push({
      command: testCase.command,
      raw: { [option]: testCase.query },
      queries: [testCase.query],
    });
  }
  for (const kind of ["family", "license"] as const) {
    const sameKind = cases.filter((testCase) => testCase.command === kind && testCase.expected.startsWith(`${kind}:`));
    for (let i = 0; i + 1 < sameKind.length; i++) {
      const [first, second] = [sameKind[i]!, sameKind[i + 1]!];
      if (first.expected === second.expected) continue;
      lines.compare.push({
        command: "compare",
        raw: { first: first.query, second: second.query },
        queries: [first.query, second.query],
      });
    }
  }
  return lines;
}

/** Every entry name an autocomplete user would type: licences, families, terms and models. */
export function entryNames(kb: KnowledgeBase): string[] {
  return [
    ...[...kb.licences.values()].map((licence) => licence.name),
    ...[...kb.families.values()].map((family) => family.name),
    ...[...kb.terms.values()].map((term) => term.term),
    ...[...kb.models.values()].map((model) => model.displayName),
  ];
}

/** Every prefix (1 character up to the whole name) of every name, in typing order. */
export function prefixesOf(names: readonly string[]): string[] {
  const prefixes: string[] = [];
  for (const name of names) for (let end = 1; end <= name.length; end++) prefixes.push(name.slice(0, end));
  return prefixes;
}

/** An even sample of at most `cap` items (every k-th); all of them when `cap` is 0 or not exceeded. */
export function evenSample<T>(items: readonly T[], cap: number): T[] {
  if (cap <= 0 || items.length <= cap) return [...items];
  const step = items.length / cap;
  return Array.from({ length: cap }, (_, index) => items[Math.floor(index * step)]!);
}
