/**
 * Child: the peer. The same lookups done the way a typical bot does them with Fuse.js: one index per
 * command over the same entries (name, aliases, summary), keys with weights, threshold 0.4,
 * includeScore. Lookup = the top result; autocomplete = the top 25 for a prefix.
 * Args: --content DIR --budget JSON [--cache NAME] [--prefix-cap N]
 */
import Fuse, { type IFuseOptions } from "fuse.js";
import { LOOKUP_KINDS } from "../src/answers/lookups.ts";
import { documentsOf } from "../src/search/documents.ts";
import { type PeerDocument, peerAnswerKey } from "./fuse-mapping.ts";
import { argValue, ownCpu, sendResultAndExit } from "./ipc.ts";
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
import type { PeerResult } from "./result-types.ts";
import { Samples } from "./stats.ts";
import { timeOver } from "./timing.ts";

const { knowledge, budget } = childKnowledge();
const { kb } = knowledge;

const FUSE_OPTIONS: IFuseOptions<PeerDocument> = {
  keys: [
    { name: "name", weight: 3 },
    { name: "aliases", weight: 2 },
    { name: "summary", weight: 1 },
  ],
  threshold: 0.4,
  includeScore: true,
};

const documents: PeerDocument[] = documentsOf(kb).map((doc) => ({
  kind: doc.kind,
  id: doc.id,
  name: doc.name,
  aliases: [...doc.names, ...doc.aliases],
  summary: doc.summary,
}));

const buildStarted = performance.now();
const indexes = Object.fromEntries(
  Object.entries(LOOKUP_KINDS).map(([command, kinds]) => [
    command,
    new Fuse(
      documents.filter((doc) => (kinds as readonly string[]).includes(doc.kind)),
      FUSE_OPTIONS,
    ),
  ]),
) as Record<keyof typeof LOOKUP_KINDS, Fuse<PeerDocument>>;
const buildMs = performance.now() - buildStarted;

const top = (command: keyof typeof LOOKUP_KINDS, query: string) =>
  indexes[command].search(query, { limit: 1 })[0]?.item;

// Accuracy on the query set.
const cases = loadCases();
const outcomes = cases.map((testCase) => {
  const got = peerAnswerKey(kb, testCase.command, top(testCase.command, testCase.query));
  return { ...testCase, got, correct: got === testCase.expected };
});
const byCommand = Object.fromEntries(
  [...new Set(cases.map((testCase) => testCase.command))].map((command) => {
    const own = outcomes.filter((outcome) => outcome.command === command);
    return [command, { total: own.length, top1: own.filter((outcome) => outcome.correct).length / own.length }];
  }),
);
const accuracy = {
  total: outcomes.length,
  top1: outcomes.filter((outcome) => outcome.correct).length / outcomes.length,
  byCommand,
  misses: outcomes
    .filter((outcome) => !outcome.correct)
    .map((outcome) => `/${outcome.command} ${outcome.query} -> ${outcome.got} (expected ${outcome.expected})`),
};

// Lookups over the same lines as ours.
const lines = commandLines(cases);
const lookup = (line: CommandLine) =>
  line.queries.map((query) => peerAnswerKey(kb, line.command, top(line.command, query)));
const lookups: Record<string, unknown> = {};
for (const command of LOOKUP_COMMANDS) {
  const list = lines[command];
  await timeOver(list, budget.handlerWarmupMs, lookup, undefined, false);
  const timed = await timeOver(list, budget.handlerMs, lookup, (line) => `/${command} ${line.queries.join(" | ")}`);
  lookups[command] = {
    lines: list.length,
    passes: Math.round(timed.passes),
    latency: timed.samples.summary(),
    slowest: timed.slowest,
  };
}

// Autocomplete: top 25 for every prefix of every entry name.
const allPrefixes = prefixesOf(entryNames(kb));
const prefixes = evenSample(allPrefixes, Number(argValue("prefix-cap", String(budget.prefixCap))));
const autocomplete: Record<string, unknown> = {};
const all = new Samples();
for (const { command } of AUTOCOMPLETE_COMMANDS) {
  const complete = (value: string) => indexes[command].search(value, { limit: 25 });
  await timeOver(prefixes.slice(0, 50), budget.handlerWarmupMs, complete, String, false);
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

const result: PeerResult = {
  documents: documents.length,
  buildMs,
  accuracy,
  lookups: lookups as PeerResult["lookups"],
  autocomplete: autocomplete as PeerResult["autocomplete"],
  ownCpu: ownCpu(),
};
await sendResultAndExit(result);
