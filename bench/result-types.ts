/** The shapes the bench's children report and bench/results.json holds. */
import type { E2eRun, E2eSubject } from "./e2e/driver.ts";
import type { MachineInfo } from "./machine.ts";
import type { LatencySummary } from "./stats.ts";

export interface Slow {
  label: string;
  ms: number;
}

export interface StartupRun {
  timings: { loadMs: number; buildMs: number; indexMs: number };
  totalMs: number;
  importMs: number;
  processToReadyMs: number;
  warm: { loadMs: number; buildMs: number; indexMs: number };
  errors: number;
  warnings: number;
  counts: Record<string, number> | null;
  rssMb: number;
  heapUsedMb: number;
}

export interface StartupSummary {
  runs: StartupRun[];
  median: {
    loadMs: number;
    buildMs: number;
    indexMs: number;
    totalMs: number;
    importMs: number;
    processToReadyMs: number;
    warmTotalMs: number;
    rssMb: number;
    heapUsedMb: number;
  };
  counts: Record<string, number> | null;
  warnings: number;
}

export interface Accuracy {
  total: number;
  top1: number;
  mrr?: number;
  byCommand: Record<string, { total: number; top1: number }>;
  misses: string[];
}

export interface AutocompleteResult {
  /** Prefixes timed (an even sample when capped) out of `of`. */
  prefixes: number;
  of: number;
  passes?: number;
  latency: LatencySummary;
  slowest?: Slow[];
}

/** What a measuring child used itself, and what the rest of the machine used meanwhile (% of one core). */
export interface CpuContext {
  ownCpu?: { cpuMs: number; wallMs: number };
  othersCpuPct?: number;
  rerun?: boolean;
}

export interface InProcessResult extends CpuContext {
  documents: number;
  accuracy: Accuracy;
  handlers: Record<
    string,
    { lines: number; passes: number; handler: LatencySummary; answer: LatencySummary; slowest: Slow[] }
  >;
  autocomplete: Record<string, AutocompleteResult>;
}

export interface PeerResult extends CpuContext {
  documents: number;
  buildMs: number;
  accuracy: Accuracy;
  lookups: Record<string, { lines: number; passes: number; latency: LatencySummary; slowest: Slow[] }>;
  autocomplete: Record<string, AutocompleteResult>;
}

export type CorpusName = "bundled" | "large" | "site";

export interface TargetCheck {
  name: string;
  target: string;
  figure: string;
  pass: boolean | null;
}

export interface BenchResults {
  machine: MachineInfo;
  loadAverage: { before: number[]; after: number[] };
  flags: {
    quick: boolean;
    skipE2e: boolean;
    profile: boolean;
    only: string[];
    subjects?: string[];
    rates?: number[];
    stepMs?: number;
    botFlags?: string[];
  };
  corpora: Partial<Record<CorpusName, { dir: string; added?: Record<string, number> }>>;
  /** Cold: no parsed-MDX cache; warm: the cache a previous start left. */
  startup: Partial<Record<CorpusName, { cold: StartupSummary; warm: StartupSummary }>>;
  inProcess: Partial<Record<CorpusName, InProcessResult>>;
  peer: Partial<Record<CorpusName, PeerResult>>;
  /** stackbot: over the gateway; stackbot-http: GATEWAY=off, the Interactions Endpoint; minimal: plain discord.js. */
  e2e: Partial<Record<E2eSubject, E2eRun>>;
  targets: TargetCheck[];
  durationS: number;
}
