/** Command-line flags and how long each phase runs, full or `--quick`. */
import { parseArgs } from "node:util";
import { E2E_SUBJECTS, type E2eSubject } from "./e2e/driver.ts";

export const PHASES = ["startup", "inprocess", "fuse", "e2e"] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchFlags {
  quick: boolean;
  skipE2e: boolean;
  /** Child processes run with --cpu-prof; profiles land in `profileDir`. */
  profile: boolean;
  profileDir: string;
  only: readonly Phase[];
  /** Write bench/results.json (a partial `--only` run should not overwrite a full one unless asked). */
  write: boolean;
  /** End to end: only these subjects (default all three); a run with fewer never writes bench/results.json. */
  subjects: readonly E2eSubject[];
  /** End to end: these rates instead of the budget's steps, and this step length (ms), e.g. to profile at one rate. */
  rates: readonly number[] | null;
  stepMs: number | null;
  /** End to end: extra node flags for the Stackbot processes (e.g. "--max-semi-space-size=4"), to try a setting. */
  botFlags: readonly string[];
}

export function parseFlags(argv: readonly string[]): BenchFlags {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      "skip-e2e": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      "profile-dir": { type: "string", default: "/tmp/stackbot-bench-profiles" },
      only: { type: "string" },
      "no-write": { type: "boolean", default: false },
      subjects: { type: "string" },
      rates: { type: "string" },
      "step-ms": { type: "string" },
      "bot-flags": { type: "string" },
    },
  });
  const subjects = values.subjects
    ? values.subjects.split(",").map((name) => {
        if (!(E2E_SUBJECTS as readonly string[]).includes(name)) {
          throw new Error(`--subjects: unknown subject "${name}" (${E2E_SUBJECTS.join(", ")})`);
        }
        return name as E2eSubject;
      })
    : [...E2E_SUBJECTS];
  const number = (flag: string, text: string) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag}: "${text}" is not a positive number`);
    return value;
  };
  const rates = values.rates ? values.rates.split(",").map((rate) => number("rates", rate)) : null;
  const stepMs = values["step-ms"] ? number("step-ms", values["step-ms"]) : null;
  const only = (
    values.only
      ? values.only.split(",").map((name) => {
          if (!(PHASES as readonly string[]).includes(name)) throw new Error(`--only: unknown phase "${name}"`);
          return name as Phase;
        })
      : [...PHASES]
  ).filter((phase) => !(phase === "e2e" && values["skip-e2e"]));
  return {
    quick: values.quick,
    skipE2e: values["skip-e2e"],
    profile: values.profile,
    profileDir: values["profile-dir"],
    only,
    write: !values["no-write"],
    subjects,
    rates,
    stepMs,
    botFlags: (values["bot-flags"] ?? "").split(" ").filter(Boolean),
  };
}

export interface Budget {
  /** Fresh processes per corpus for the start-up figures. */
  startupRuns: number;
  /** Warm-up, then measuring time per command handler (ms). */
  handlerWarmupMs: number;
  handlerMs: number;
  /** Autocomplete: every prefix at least once; more passes until this much time went by (ms). */
  autocompleteMs: number;
  /** Most prefixes timed per handler (an even sample of all of them); 0 = every prefix. */
  prefixCap: number;
  /** The same for Fuse.js on the large corpus, where one search takes ~10 ms. */
  peerPrefixCapLarge: number;
  /** End to end: open-loop steps (the same for every subject; after a step collapses the rest are skipped). */
  e2eRates: readonly number[];
  e2eStepMs: number;
  e2eWarmupRate: number;
  e2eWarmupMs: number;
  /** An interaction without a callback this long after its step ended is lost. */
  e2eGraceMs: number;
  /** When to read memory (after a full GC) once the load stops, ms; the last reading is "after load". */
  e2eSettleReadMs: readonly number[];
}

export function budgetFor(quick: boolean): Budget {
  return quick
    ? {
        startupRuns: 2,
        handlerWarmupMs: 100,
        handlerMs: 300,
        autocompleteMs: 300,
        prefixCap: 3000,
        peerPrefixCapLarge: 200,
        e2eRates: [250, 1000, 3000, 5000],
        e2eStepMs: 1500,
        e2eWarmupRate: 500,
        e2eWarmupMs: 1000,
        e2eGraceMs: 5000,
        e2eSettleReadMs: [1000, 4000],
      }
    : {
        startupRuns: 5,
        handlerWarmupMs: 500,
        handlerMs: 2500,
        autocompleteMs: 2500,
        prefixCap: 0,
        peerPrefixCapLarge: 600,
        e2eRates: [250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000],
        e2eStepMs: 4000,
        e2eWarmupRate: 500,
        e2eWarmupMs: 3000,
        e2eGraceMs: 5000,
        e2eSettleReadMs: [1000, 5000, 10_000],
      };
}
