/**
 * `npm run bench`: Stackbot's benchmarks. Start-up, in-process lookups and autocomplete on the bundled
 * content and on a generated checkout-sized corpus; the same lookups with Fuse.js; end to end against
 * the fake Discord with the real bot and with a minimal discord.js bot. Prints a table and writes
 * bench/results.json (full runs; --quick and --only runs write to the temp dir).
 *
 * Flags: --quick (short phases, a smoke run), --skip-e2e, --only=startup,inprocess,fuse,e2e,
 * --profile (children run with --cpu-prof into --profile-dir, default /tmp/stackbot-bench-profiles);
 * end to end only: --subjects=stackbot,stackbot-http,minimal, --rates=1000 and --step-ms=10000 (e.g. to
 * profile at one rate), --bot-flags="--max-semi-space-size=4" (node flags for Stackbot); such runs never
 * write bench/results.json.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLED_CONTENT_DIR } from "../src/load/knowledge-loader.ts";
import { killAllChildren, runChild } from "./child.ts";
import { budgetFor, parseFlags } from "./config.ts";
import { generateCorpus, generateSiteCorpus, removeCorpus } from "./corpus.ts";
import { buildBots } from "./e2e/build.ts";
import { E2E_SUBJECTS, runE2e } from "./e2e/driver.ts";
import { BENCH_CACHE_DIR, benchCacheFile } from "./knowledge.ts";
import { loadAverage, machineInfo, systemBusyPct, systemCpu, waitForQuiet } from "./machine.ts";
import { evaluateTargets, renderReport } from "./report.ts";
import type {
  BenchResults,
  CorpusName,
  CpuContext,
  InProcessResult,
  PeerResult,
  StartupRun,
  StartupSummary,
} from "./result-types.ts";
import { median } from "./stats.ts";

const RESULTS_FILE = fileURLToPath(new URL("./results.json", import.meta.url));
const started = performance.now();
const flags = parseFlags(process.argv.slice(2));
const budget = {
  ...budgetFor(flags.quick),
  ...(flags.rates ? { e2eRates: flags.rates } : {}),
  ...(flags.stepMs ? { e2eStepMs: flags.stepMs } : {}),
};
const log = (line: string) => process.stderr.write(`${line}\n`);
const phase = (name: (typeof flags.only)[number]) => flags.only.includes(name);

let corpusDir: string | null = null;
let siteCorpusDir: string | null = null;
const cleanUp = () => {
  killAllChildren();
  if (corpusDir) removeCorpus(corpusDir);
  if (siteCorpusDir) removeCorpus(siteCorpusDir);
  corpusDir = null;
  siteCorpusDir = null;
  rmSync(BENCH_CACHE_DIR, { recursive: true, force: true });
};
process.on("exit", cleanUp);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`\n${signal}: stopping the bench and its child processes`);
    cleanUp();
    process.exit(130);
  });
}

/** Other jobs on a 2-core machine would show up in the figures: start each phase on a quiet machine. */
async function quietly(what: string): Promise<void> {
  const quiet = await waitForQuiet(25, 60_000);
  if (!quiet.quiet) log(`  ${what}: the machine is still busy (${quiet.busyPct.toFixed(0)}% CPU); going ahead`);
  else if (quiet.waitedMs > 5000)
    log(`  ${what}: waited ${(quiet.waitedMs / 1000).toFixed(0)} s for other jobs to finish`);
}

/** Other jobs using more than this much of a core while a latency child ran make its figures suspect. */
const OTHERS_LIMIT = 30;

/**
 * Runs a measuring child and works out what the rest of the machine used meanwhile; when other
 * jobs took more than OTHERS_LIMIT, waits for quiet and runs it again, up to three attempts (and says so).
 */
async function measured<T extends CpuContext>(what: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const before = systemCpu();
    const result = await run();
    const machine = systemBusyPct(before, systemCpu());
    const own = result.ownCpu ? (100 * result.ownCpu.cpuMs) / result.ownCpu.wallMs : 100;
    result.othersCpuPct = Math.max(0, machine - own);
    result.rerun = attempt > 0;
    if (result.othersCpuPct <= OTHERS_LIMIT || attempt >= 2) return result;
    log(`  ${what}: other jobs used ${result.othersCpuPct.toFixed(0)}% of a core meanwhile; running it again`);
    await quietly(what);
  }
}

const profileFlags = (name: string): string[] => {
  if (!flags.profile) return [];
  const dir = join(flags.profileDir, name);
  mkdirSync(dir, { recursive: true });
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`];
};

function summarizeStartup(runs: StartupRun[]): StartupSummary {
  const of = (pick: (run: StartupRun) => number) => median(runs.map(pick));
  return {
    runs,
    median: {
      loadMs: of((run) => run.timings.loadMs),
      buildMs: of((run) => run.timings.buildMs),
      indexMs: of((run) => run.timings.indexMs),
      totalMs: of((run) => run.totalMs),
      importMs: of((run) => run.importMs),
      processToReadyMs: of((run) => run.processToReadyMs),
      warmTotalMs: of((run) => run.warm.loadMs + run.warm.buildMs + run.warm.indexMs),
      rssMb: of((run) => run.rssMb),
      heapUsedMb: of((run) => run.heapUsedMb),
    },
    counts: runs[0]?.counts ?? null,
    warnings: runs[0]?.warnings ?? 0,
  };
}

async function main(): Promise<void> {
  const results: BenchResults = {
    machine: machineInfo(),
    loadAverage: { before: loadAverage(), after: [] },
    flags: {
      quick: flags.quick,
      skipE2e: flags.skipE2e,
      profile: flags.profile,
      only: [...flags.only],
      subjects: [...flags.subjects],
      ...(flags.rates ? { rates: [...flags.rates] } : {}),
      ...(flags.stepMs ? { stepMs: flags.stepMs } : {}),
      ...(flags.botFlags.length > 0 ? { botFlags: [...flags.botFlags] } : {}),
    },
    corpora: { bundled: { dir: "content/" }, large: { dir: "" } },
    startup: {},
    inProcess: {},
    peer: {},
    e2e: {},
    targets: [],
    durationS: 0,
  };
  log(
    `stackbot bench${flags.quick ? " (quick)" : ""}: ${flags.only.join(", ")} · load average ${results.loadAverage.before.join(" ")}`,
  );
  if (results.loadAverage.before[0]! > 0.5) log("  note: the machine is not idle; figures may be noisy");

  const needsCorpus = phase("startup") || phase("inprocess") || phase("fuse");
  const corpora: [CorpusName, string][] = [["bundled", BUNDLED_CONTENT_DIR]];
  if (needsCorpus) {
    const generated = generateCorpus();
    corpusDir = generated.dir;
    results.corpora.large = { dir: "(temporary copy of content/ + synthetic entries)", added: { ...generated.added } };
    corpora.push(["large", generated.dir]);
    log(
      `corpus: content/ + ${generated.added.glossary} glossary entries, ${generated.added.models} models, ${generated.added.projects} projects`,
    );
  }

  // A corpus shaped like the site and about its size, with both learning tracks: start-up only.
  const startupCorpora: [CorpusName, string][] = [...corpora];
  if (phase("startup")) {
    const site = generateSiteCorpus();
    siteCorpusDir = site.dir;
    results.corpora.site = { dir: "(temporary site-shaped checkout)", added: { ...site.added } };
    startupCorpora.push(["site", site.dir]);
    log(
      `site corpus: site layout + ${site.added.glossary} glossary entries, ${site.added.models} models, ${site.added.projects} projects, 21 lessons`,
    );
  }

  if (phase("startup")) {
    // Cold: no parsed-MDX cache (a first start, or every file changed). Warm: the cache a previous
    // start left (a restart); one untimed start primes it.
    for (const [name, dir] of startupCorpora) {
      await quietly(`start-up ${name}`);
      const probe = (cache: string, profile?: string) =>
        runChild<StartupRun>("startup", "./startup-probe.ts", {
          args: ["--content", dir, "--cache", cache],
          nodeFlags: ["--expose-gc", ...(profile ? profileFlags(profile) : [])],
        });
      const cold: StartupRun[] = [];
      for (let run = 0; run < budget.startupRuns; run++) {
        cold.push(await probe("none", run === 0 ? `startup-${name}-cold` : undefined));
      }
      if (cold.some((run) => run.errors > 0)) throw new Error(`the ${name} corpus has content errors`);
      const cacheName = `startup-${name}`;
      rmSync(benchCacheFile(cacheName)!, { force: true });
      await probe(cacheName);
      const warm: StartupRun[] = [];
      for (let run = 0; run < budget.startupRuns; run++) {
        warm.push(await probe(cacheName, run === 0 ? `startup-${name}-warm` : undefined));
      }
      results.startup[name] = { cold: summarizeStartup(cold), warm: summarizeStartup(warm) };
      log(
        `start-up ${name}: median cold ${results.startup[name].cold.median.totalMs.toFixed(0)} ms, warm ${results.startup[name].warm.median.totalMs.toFixed(0)} ms over ${budget.startupRuns} processes each`,
      );
    }
  }

  const childArgs = (name: string, dir: string) => [
    "--content",
    dir,
    "--budget",
    JSON.stringify(budget),
    "--cache",
    `bench-${name}`,
  ];
  if (phase("inprocess")) {
    for (const [name, dir] of corpora) {
      log(`in-process ${name}: handlers and autocomplete`);
      await quietly(`in-process ${name}`);
      results.inProcess[name] = await measured(`in-process ${name}`, () =>
        runChild<InProcessResult>("in-process", "./in-process.ts", {
          args: childArgs(name, dir),
          nodeFlags: profileFlags(`inprocess-${name}`),
        }),
      );
    }
  }
  if (phase("fuse")) {
    for (const [name, dir] of corpora) {
      log(`Fuse.js peer ${name}: lookups and autocomplete`);
      await quietly(`Fuse.js ${name}`);
      const cap = name === "large" ? budget.peerPrefixCapLarge : budget.prefixCap;
      results.peer[name] = await measured(`Fuse.js ${name}`, () =>
        runChild<PeerResult>("fuse-peer", "./fuse-peer.ts", {
          args: [...childArgs(name, dir), "--prefix-cap", String(cap)],
          nodeFlags: profileFlags(`fuse-${name}`),
        }),
      );
    }
  }
  if (corpusDir) {
    removeCorpus(corpusDir);
    corpusDir = null;
  }
  if (siteCorpusDir) {
    removeCorpus(siteCorpusDir);
    siteCorpusDir = null;
  }

  if (phase("e2e")) {
    const build = buildBots();
    log(`end to end: bots compiled by tsc in ${(build.ms / 1000).toFixed(1)} s to ${build.dir}`);
    if (build.diagnostics) log(`  tsc reported (the bots run anyway):\n${build.diagnostics.slice(0, 2000)}`);
    for (const kind of flags.subjects) {
      log(`end to end: ${kind}`);
      results.e2e[kind] = await runE2e(kind, {
        budget,
        build,
        botFlags: flags.botFlags,
        profileDir: flags.profile ? join(flags.profileDir, `e2e-${kind}`) : undefined,
        log,
      });
    }
  }

  results.loadAverage.after = loadAverage();
  results.targets = evaluateTargets(results);
  results.durationS = (performance.now() - started) / 1000;
  process.stdout.write(`${renderReport(results)}\n`);

  const full =
    !flags.quick &&
    flags.only.length === 4 &&
    flags.subjects.length === E2E_SUBJECTS.length &&
    !flags.rates &&
    !flags.stepMs &&
    flags.botFlags.length === 0;
  const file = flags.write && full ? RESULTS_FILE : join(tmpdir(), "stackbot-bench-results.json");
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${file}${full ? "" : " (not a full run: bench/results.json left as it was)"}`);
}

main().then(
  () => {
    cleanUp();
    process.exit(0);
  },
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    cleanUp();
    process.exit(1);
  },
);
