/**
 * Child: Stackbot's own lookups, in process, on one corpus. Top-1 accuracy on test/queries.tsv
 * (evaluateCase/summarize); per command the handler latency from parsed options to finished
 * payload (runCommand) and the answer latency (search and answer model, no payload); autocomplete
 * latency for every prefix of every entry name through each command's handler.
 * Args: --content DIR --budget JSON [--cache NAME]
 */

import { createRegistry } from "../commands/index.ts";
import { evaluateCase, summarize as summarizeEval } from "../src/answers/evaluate.ts";
import { answerAsk, answerCompare, answerFamily, answerLicence, answerTerm } from "../src/answers/lookups.ts";
import { UserFacingError } from "../src/answers/user-facing-error.ts";
import { runCommand } from "../src/command-kit/execute.ts";
import { standaloneContext } from "../src/command-kit/standalone-context.ts";
import { ownCpu, sendResultAndExit } from "./ipc.ts";
import { childKnowledge } from "./knowledge.ts";
import {
  AUTOCOMPLETE_COMMANDS,
  type CommandLine,
  commandLines,
  entryNames,
  evenSample,
  LOOKUP_COMMANDS,
  loadCases,
  prefixesOf,
} from "./queries.ts";
import type { InProcessResult } from "./result-types.ts";
import { Samples } from "./stats.ts";
import { timeOver } from "./timing.ts";

const { knowledge, budget } = childKnowledge();
const registry = createRegistry();
const context = standaloneContext(knowledge);

// Accuracy, exactly as `npm run eval` computes it.
const cases = loadCases();
const outcomes = cases.map((testCase) => evaluateCase(knowledge, testCase));
const byCommand = Object.fromEntries(
  [...new Set(cases.map((testCase) => testCase.command))].map((command) => {
    const own = outcomes.filter((outcome) => outcome.command === command);
    return [command, { total: own.length, top1: own.filter((outcome) => outcome.correct).length / own.length }];
  }),
);
const accuracy = {
  ...summarizeEval(outcomes),
  byCommand,
  misses: outcomes
    .filter((outcome) => !outcome.correct)
    .map((outcome) => `/${outcome.command} ${outcome.query} -> ${outcome.got} (expected ${outcome.expected})`),
};

// Handlers: parsed options to finished payload.
const ANSWER: Record<string, (line: CommandLine) => unknown> = {
  license: (line) => answerLicence(knowledge, line.queries[0]!),
  family: (line) => answerFamily(knowledge, line.queries[0]!),
  term: (line) => answerTerm(knowledge, line.queries[0]!),
  ask: (line) => answerAsk(knowledge, line.queries[0]!),
  compare: (line) => {
    try {
      return answerCompare(knowledge, line.queries[0]!, line.queries[1]!);
    } catch (error) {
      return error;
    }
  },
};
const lines = commandLines(cases);
const handlers: Record<string, unknown> = {};
const lineLabel = (line: CommandLine) => `/${line.command} ${line.queries.join(" | ")}`;
for (const command of LOOKUP_COMMANDS) {
  const list = lines[command];
  // A refusal (/compare of a family with a licence) is an answer too: the dispatcher sends it as a notice.
  const handler = (line: CommandLine) =>
    runCommand(registry, context, command, line.raw).catch((error: unknown) => {
      if (!(error instanceof UserFacingError)) throw error;
    });
  await timeOver(list, budget.handlerWarmupMs, handler, lineLabel, false);
  const timed = await timeOver(list, budget.handlerMs, handler, lineLabel);
  await timeOver(list, budget.handlerWarmupMs / 2, ANSWER[command]!, lineLabel, false);
  const answer = await timeOver(list, budget.handlerMs / 2, ANSWER[command]!, lineLabel);
  handlers[command] = {
    lines: list.length,
    passes: Math.round(timed.passes),
    handler: timed.samples.summary(),
    answer: answer.samples.summary(),
    slowest: timed.slowest,
  };
}

// /fit: every model with a size on every part of the catalogue, at the defaults (the target: p99 <= 1 ms).
const fitLines = [...knowledge.kb.models.values()]
  .filter((model) => model.paramsTotal)
  .flatMap((model) => [...knowledge.kb.hardware.keys()].map((hardware) => ({ model: model.slug, hardware })));
if (fitLines.length > 0) {
  const fitHandler = (line: { model: string; hardware: string }) =>
    runCommand(registry, context, "fit", line).catch((error: unknown) => {
      if (!(error instanceof UserFacingError)) throw error;
    });
  const fitLabel = (line: { model: string; hardware: string }) => `/fit ${line.model} ${line.hardware}`;
  await timeOver(fitLines, budget.handlerWarmupMs, fitHandler, fitLabel, false);
  const timed = await timeOver(fitLines, budget.handlerMs, fitHandler, fitLabel);
  handlers.fit = {
    lines: fitLines.length,
    passes: Math.round(timed.passes),
    handler: timed.samples.summary(),
    answer: timed.samples.summary(),
    slowest: timed.slowest,
  };
}

// Autocomplete: every prefix of every entry name, through each command's handler.
const allPrefixes = prefixesOf(entryNames(knowledge.kb));
const prefixes = evenSample(allPrefixes, budget.prefixCap);
const autocomplete: Record<string, unknown> = {};
const all = new Samples();
for (const { command, option } of AUTOCOMPLETE_COMMANDS) {
  const module = registry.get(command)!;
  const complete = (value: string) => module.autocomplete!(context, { name: option, value });
  await timeOver(prefixes.slice(0, 2000), budget.handlerWarmupMs, complete, String, false);
  const timed = await timeOver(prefixes, budget.autocompleteMs, complete, (value) => `/${command} "${value}"`);
  for (const value of timed.samples.values()) all.push(value);
  autocomplete[command] = {
    prefixes: prefixes.length,
    of: allPrefixes.length,
    passes: Math.round(timed.passes * 10) / 10,
    latency: timed.samples.summary(),
    slowest: timed.slowest,
  };
}
autocomplete.all = { prefixes: prefixes.length, of: allPrefixes.length, latency: all.summary() };

const result: InProcessResult = {
  documents: knowledge.index.size,
  accuracy,
  handlers: handlers as InProcessResult["handlers"],
  autocomplete: autocomplete as InProcessResult["autocomplete"],
  ownCpu: ownCpu(),
};
await sendResultAndExit(result);
