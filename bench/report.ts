/** The readable report: tables of figures, then the targets with PASS/MISS. */
import { E2E_SUBJECTS, type E2eRun, type E2eStep, type E2eSubject } from "./e2e/driver.ts";
import type { BenchResults, CorpusName, CpuContext, TargetCheck } from "./result-types.ts";
import type { LatencySummary } from "./stats.ts";

const CORPORA: CorpusName[] = ["bundled", "large", "site"];
const LOOKUPS = ["license", "family", "term", "ask", "compare"];
const COMPLETIONS = ["license", "family", "term", "compare", "all"];

/** Milliseconds with precision that suits their size. */
export function ms(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 1000) return value.toFixed(1);
  return value.toFixed(0);
}

const pct = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "-" : `${value.toFixed(1)}%`);
const int = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "-" : value.toFixed(0));
const mb = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "-" : value.toFixed(0));
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)}x` : "-");
const trio = (summary: LatencySummary | undefined) =>
  summary ? `${ms(summary.median)} / ${ms(summary.p99)} / ${ms(summary.max)}` : "-";

export function table(title: string, headers: string[], rows: string[][], note?: string, leftAligned = 1): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column < leftAligned ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [
    "",
    title,
    line(headers),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...rows.map(line),
    ...(note ? [note] : []),
  ].join("\n");
}

// --- targets -----------------------------------------------------------------------------------

/** The highest step with p99 under 25 ms and nothing lost: its served rate is the bot's sustainable rate. */
export function sustainable(run: E2eRun | undefined): E2eStep | undefined {
  return run?.steps.filter((step) => step.latency.p99 < 25 && step.lost === 0 && step.errors === 0).at(-1);
}

/** The highest step the bot kept up with: served >= 99% of offered, p50 under 5 ms, nothing lost. */
export function unsaturated(run: E2eRun | undefined): E2eStep | undefined {
  return run?.steps
    .filter((step) => step.servedRate >= step.rate * 0.99 && step.latency.median < 5 && step.lost === 0)
    .at(-1);
}

function check(name: string, target: string, figure: string, pass: boolean | null): TargetCheck {
  return { name, target, figure, pass };
}

export function evaluateTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ours = results.inProcess.bundled;
  const peer = results.peer.bundled;
  if (ours) {
    const lookups = ["license", "family", "term", "compare"];
    const worst = Math.max(...lookups.map((command) => ours.handlers[command]!.handler.p99));
    checks.push(
      check(
        "lookup handlers p99 (bundled)",
        "<= 1 ms",
        lookups.map((command) => `${command} ${ms(ours.handlers[command]!.handler.p99)}`).join(", "),
        worst <= 1,
      ),
    );
    const ask = ours.handlers.ask!.handler.p99;
    checks.push(check("/ask handler p99 (bundled)", "<= 3 ms", `${ms(ask)} ms`, ask <= 3));
    const fit = ours.handlers.fit?.handler.p99;
    if (fit !== undefined) checks.push(check("/fit handler p99 (bundled)", "<= 1 ms", `${ms(fit)} ms`, fit <= 1));
    for (const corpus of CORPORA) {
      const result = results.inProcess[corpus];
      if (!result) continue;
      const commands = ["license", "family", "term", "compare"];
      const worstCompletion = Math.max(...commands.map((command) => result.autocomplete[command]!.latency.p99));
      checks.push(
        check(
          `autocomplete p99 (${corpus})`,
          "<= 0.5 ms",
          commands.map((command) => `${command} ${ms(result.autocomplete[command]!.latency.p99)}`).join(", "),
          worstCompletion <= 0.5,
        ),
      );
    }
  }
  if (ours && peer) {
    const ratios = LOOKUPS.map((command) => peer.lookups[command]!.latency.p99 / ours.handlers[command]!.handler.p99);
    const lowest = Math.min(...ratios);
    const completionRatio = peer.autocomplete.all!.latency.p99 / ours.autocomplete.all!.latency.p99;
    checks.push(
      check(
        "faster than Fuse.js at p99 (bundled, our full handler vs Fuse lookup)",
        ">= 30x",
        `${LOOKUPS.map((command, index) => `${command} ${ratio(ratios[index]!)}`).join(", ")}; autocomplete ${ratio(completionRatio)}`,
        lowest >= 30 && completionRatio >= 30,
      ),
    );
    checks.push(
      check(
        "top-1 accuracy vs Fuse.js (test/queries.tsv, bundled)",
        "ours >= Fuse.js",
        `ours ${pct(ours.accuracy.top1 * 100)}, Fuse.js ${pct(peer.accuracy.top1 * 100)}`,
        ours.accuracy.top1 >= peer.accuracy.top1,
      ),
    );
  }
  for (const corpus of CORPORA) {
    const startup = results.startup[corpus];
    if (!startup) continue;
    for (const kind of ["cold", "warm"] as const) {
      const median = startup[kind].median;
      // The bundled content and a site-sized checkout have targets; the 10x corpus is reported.
      const targeted = corpus === "bundled" || (corpus === "site" && kind === "warm");
      checks.push(
        check(
          `start-up, ${kind === "cold" ? "cold (no parse cache)" : "warm (parse cache primed)"}: loadKnowledge (${corpus}, median)`,
          targeted ? "<= 300 ms" : "report",
          `${ms(median.totalMs)} ms (load ${ms(median.loadMs)}, join ${ms(median.buildMs)}, index ${ms(median.indexMs)})`,
          targeted ? median.totalMs <= 300 : null,
        ),
      );
      if (corpus === "site") {
        checks.push(
          check(
            `start-up RSS after loadKnowledge (site, ${kind}, median)`,
            "<= 150 MB",
            `${mb(median.rssMb)} MB (heap ${mb(median.heapUsedMb)} MB)`,
            median.rssMb <= 150,
          ),
        );
      }
    }
  }
  checks.push(...e2eTargets(results));
  return checks;
}

// --- end-to-end targets ------------------------------------------------------------------------

const SUBJECT_LABEL: Record<E2eSubject, string> = {
  stackbot: "Stackbot, gateway",
  "stackbot-http": "Stackbot, HTTP endpoint",
  minimal: "minimal discord.js bot",
};

/** Bot CPU per interaction served, ms (CPU % of one core x 10 / interactions per second). */
export function cpuPerInteraction(step: E2eStep): number {
  return (step.botCpuPct * 10) / step.servedRate;
}

const rateOf = (step: E2eStep | undefined) => (step ? `${int(step.servedRate)}/s (step ${step.rate}/s)` : "no step");

/** Peak RSS while serving what the bot can serve: idle and every step up to the sustained one (or the highest unsaturated). */
export function servingPeakRss(run: E2eRun): { upTo: E2eStep | undefined; peakMb: number } {
  const upTo = sustainable(run) ?? unsaturated(run);
  const inRange = run.steps.filter((step) => upTo && step.rate <= upTo.rate);
  return { upTo, peakMb: Math.max(run.idle.rssMb, ...inRange.map((step) => step.botPeakRssMb)) };
}

function e2eTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const gateway = results.e2e.stackbot;
  const http = results.e2e["stackbot-http"];
  const minimal = results.e2e.minimal;
  const [gatewayBest, httpBest, minimalBest] = [sustainable(gateway), sustainable(http), sustainable(minimal)];
  if (gateway && http) {
    const times = gatewayBest && httpBest ? httpBest.servedRate / gatewayBest.servedRate : 0;
    checks.push(
      check(
        "e2e: HTTP mode (one instance) sustained rate (p99 < 25 ms, no errors) vs gateway mode",
        ">= 3x",
        `${rateOf(httpBest)} vs ${rateOf(gatewayBest)} = ${ratio(times)}`,
        times >= 3,
      ),
    );
  }
  if (gateway && minimal) {
    const share = gatewayBest && minimalBest ? gatewayBest.servedRate / minimalBest.servedRate : 0;
    checks.push(
      check(
        "e2e: gateway mode sustained rate (p99 < 25 ms, no errors) vs minimal discord.js bot",
        ">= 90%",
        `${rateOf(gatewayBest)} vs ${rateOf(minimalBest)} = ${pct(share * 100)}`,
        share >= 0.9,
      ),
    );
    const [mine, theirs] = [unsaturated(gateway), unsaturated(minimal)];
    checks.push(
      check(
        "e2e (info): unsaturated capacity, served >= 99% of offered with p50 < 5 ms, gateway vs minimal",
        "report",
        `${mine ? `${int(mine.servedRate)}/s` : "none"} vs ${theirs ? `${int(theirs.servedRate)}/s` : "none"} = ${pct(mine && theirs ? (100 * mine.servedRate) / theirs.servedRate : 0)}`,
        null,
      ),
    );
  }
  const runs = E2E_SUBJECTS.flatMap((subject) =>
    results.e2e[subject] ? [[subject, results.e2e[subject]!] as const] : [],
  );
  if (runs.length > 1) {
    const perInteraction = (step: E2eStep | undefined) =>
      step ? `${cpuPerInteraction(step).toFixed(3)}${step.servedRate < step.rate * 0.99 ? " (saturated)" : ""}` : "-";
    checks.push(
      check(
        `e2e (info): bot CPU ms per interaction (${runs.map(([subject]) => subject).join(" / ")})`,
        "report",
        [500, 1000, 2000]
          .map(
            (rate) =>
              `${rate}/s ${runs.map(([, run]) => perInteraction(run.steps.find((step) => step.rate === rate))).join(" / ")}`,
          )
          .join("; "),
        null,
      ),
    );
  }
  for (const [subject, run] of runs) {
    if (subject === "minimal") continue;
    const label = SUBJECT_LABEL[subject];
    // Lost: over every step run (a step past the knee may queue, but must not drop).
    const lostAll = run.steps.reduce((sum, step) => sum + step.lost, 0);
    const errorsAll = run.steps.reduce((sum, step) => sum + step.errors, 0);
    checks.push(
      check(
        `e2e ${label}: lost interactions (no answer within 5 s) and errors, all steps`,
        "0",
        `${lostAll} lost, ${errorsAll} errors over ${run.steps.reduce((sum, step) => sum + step.offered, 0)} interactions`,
        lostAll === 0 && errorsAll === 0,
      ),
    );
    // RSS: at idle and while serving the load it can serve; past the knee a backlog grows memory by design.
    const { upTo, peakMb } = servingPeakRss(run);
    checks.push(
      check(
        `e2e ${label}: bot peak RSS, idle and up to ${upTo ? `${upTo.rate}/s` : "the first step"} (${run.runAs})`,
        "<= 150 MB",
        `idle ${mb(run.idle.rssMb)} MB, peak ${mb(peakMb)} MB (all steps, past the knee too: ${mb(run.afterLoad.peakRssMb)} MB)`,
        peakMb <= 150,
      ),
    );
    const { idle, afterLoad } = run;
    const growth = afterLoad.peakRssMb - idle.rssMb;
    const kept = afterLoad.rssMb - idle.rssMb;
    const heapKept = afterLoad.heapUsedMb - idle.heapUsedMb;
    const returned = heapKept <= 10 && kept <= Math.max(15, growth * 0.25);
    checks.push(
      check(
        `e2e ${label}: memory returns ${afterLoad.waitedMs / 1000} s after the load (full GC)`,
        "heap <= idle + 10 MB and RSS <= idle + max(15 MB, 25% of the growth)",
        `RSS idle ${mb(idle.rssMb)} -> peak ${mb(afterLoad.peakRssMb)} -> after ${mb(afterLoad.rssMb)} MB; heap idle ${mb(idle.heapUsedMb)} -> after ${mb(afterLoad.heapUsedMb)} MB`,
        returned,
      ),
    );
  }
  return checks;
}

// --- tables ------------------------------------------------------------------------------------

/** "(other jobs: x% of a core during ours, y% during Fuse.js)", when known. */
function others(ours: CpuContext | undefined, peer: CpuContext | undefined): string {
  const part = (label: string, context: CpuContext | undefined) =>
    context?.othersCpuPct === undefined
      ? []
      : [`${pct(context.othersCpuPct)} during ${label}${context.rerun ? " (rerun)" : ""}`];
  const parts = [...part("ours", ours), ...part("Fuse.js", peer)];
  return parts.length > 0 ? ` (other jobs on the machine: ${parts.join(", ")} of a core)` : "";
}

export function renderReport(results: BenchResults): string {
  const out: string[] = [];
  const { machine } = results;
  out.push(
    `Stackbot benchmarks · ${machine.date} · ${machine.cpuModel} · ${machine.cores} cores · ${machine.memoryGb} GB · Node ${machine.node} · ${machine.platform}`,
    `load average before ${results.loadAverage.before.join(" ")}, after ${results.loadAverage.after.join(" ")}${results.flags.quick ? " · QUICK RUN (shortened phases)" : ""}`,
  );

  const startupRows = CORPORA.flatMap((corpus) => {
    const both = results.startup[corpus];
    if (!both) return [];
    return (["cold", "warm"] as const).map((kind) => {
      const startup = both[kind];
      const m = startup.median;
      return [
        `${corpus}, ${kind}`,
        String(startup.counts?.documents ?? "-"),
        `${startup.counts?.terms ?? "-"}/${startup.counts?.models ?? "-"}/${startup.counts?.families ?? "-"}`,
        ms(m.loadMs),
        ms(m.buildMs),
        ms(m.indexMs),
        ms(m.totalMs),
        ms(m.warmTotalMs),
        ms(m.processToReadyMs),
        mb(m.rssMb),
        mb(m.heapUsedMb),
      ];
    });
  });
  if (startupRows.length > 0) {
    out.push(
      table(
        `Start-up (median of ${results.startup.bundled?.cold.runs.length ?? "?"} fresh processes each; ms, MB)`,
        [
          "corpus",
          "docs",
          "terms/models/fam",
          "load",
          "validate/join",
          "index",
          "total",
          "2nd call",
          "process->ready",
          "RSS",
          "heap",
        ],
        startupRows,
        [
          "cold = no parsed-MDX cache (first start, or all content changed); warm = the cache a previous start left (a restart).",
          "load = read + parse + validate (zod); total = loadKnowledge(); 2nd call = loadKnowledge() again in the same process;",
          "process->ready includes Node, tsx and imports; RSS/heap after a full GC.",
        ].join("\n"),
      ),
    );
  }

  for (const corpus of CORPORA) {
    const ours = results.inProcess[corpus];
    const peer = results.peer[corpus];
    if (!ours && !peer) continue;
    out.push(
      table(
        `Lookups, ${corpus} content (${ours?.documents ?? peer?.documents} documents): median / p99 / max, ms${others(ours, peer)}`,
        ["command", "lines", "ours: handler", "ours: answer only", "Fuse.js: lookup", "p99 Fuse/ours"],
        LOOKUPS.map((command) => {
          const handler = ours?.handlers[command];
          const lookup = peer?.lookups[command];
          return [
            command,
            String(handler?.lines ?? lookup?.lines ?? "-"),
            trio(handler?.handler),
            trio(handler?.answer),
            trio(lookup?.latency),
            handler && lookup ? ratio(lookup.latency.p99 / handler.handler.p99) : "-",
          ];
        }),
        "handler = runCommand(): parsed options to finished Discord payload; answer only = the answer function (search + answer model, no payload); Fuse.js = top hit mapped to an entry (no payload).",
      ),
    );
    out.push(
      table(
        `Autocomplete, ${corpus} content: every prefix of every entry name; median / p99 / max, ms`,
        ["handler", "prefixes", "samples", "ours", "Fuse.js top 25", "Fuse.js prefixes", "p99 Fuse/ours"],
        COMPLETIONS.map((command) => {
          const mine = ours?.autocomplete[command];
          const theirs = peer?.autocomplete[command];
          return [
            command,
            mine ? (mine.prefixes === mine.of ? String(mine.of) : `${mine.prefixes} of ${mine.of}`) : "-",
            String(mine?.latency.n ?? "-"),
            trio(mine?.latency),
            trio(theirs?.latency),
            theirs ? (theirs.prefixes === theirs.of ? String(theirs.of) : `${theirs.prefixes} (sample)`) : "-",
            mine && theirs ? ratio(theirs.latency.p99 / mine.latency.p99) : "-",
          ];
        }),
      ),
    );
  }

  const accuracyRows = CORPORA.flatMap((corpus) => {
    const ours = results.inProcess[corpus];
    const peer = results.peer[corpus];
    if (!ours && !peer) return [];
    const by = (accuracy: typeof ours) =>
      accuracy
        ? ["term", "family", "license", "ask"].map((command) =>
            pct((accuracy.accuracy.byCommand[command]?.top1 ?? Number.NaN) * 100),
          )
        : ["-", "-", "-", "-"];
    const peerBy = peer
      ? ["term", "family", "license", "ask"].map((command) =>
          pct((peer.accuracy.byCommand[command]?.top1 ?? Number.NaN) * 100),
        )
      : ["-", "-", "-", "-"];
    return [
      [
        `${corpus}: Stackbot`,
        String(ours?.accuracy.total ?? "-"),
        pct((ours?.accuracy.top1 ?? Number.NaN) * 100),
        ours?.accuracy.mrr?.toFixed(3) ?? "-",
        ...by(ours),
      ],
      [
        `${corpus}: Fuse.js`,
        String(peer?.accuracy.total ?? "-"),
        pct((peer?.accuracy.top1 ?? Number.NaN) * 100),
        "-",
        ...peerBy,
      ],
    ];
  });
  if (accuracyRows.length > 0) {
    out.push(
      table(
        "Top-1 accuracy on test/queries.tsv",
        ["engine", "queries", "top-1", "MRR", "term", "family", "license", "ask"],
        accuracyRows,
      ),
    );
  }

  const TITLES: Record<E2eSubject, string> = {
    stackbot:
      "Stackbot over the gateway (startBot, bundled content); ms from INTERACTION_CREATE sent to the callback handled by the fake",
    "stackbot-http":
      "Stackbot over HTTP (GATEWAY=off, one instance, Interactions Endpoint); ms from the pre-signed POST sent to its response received",
    minimal:
      "minimal discord.js bot (fixed embed / fixed choices); ms from INTERACTION_CREATE sent to the callback handled by the fake",
  };
  for (const kind of E2E_SUBJECTS) {
    const run = results.e2e[kind];
    if (!run) continue;
    const rest = (step: E2eStep) => {
      const counts = Object.entries(step.otherRequests ?? {});
      const total = counts.reduce((sum, [, count]) => sum + count, 0);
      const failed = counts.filter(([route]) => !/-> 2\d\d$/.test(route)).reduce((sum, [, count]) => sum + count, 0);
      return failed > 0 ? `${total} (${failed} failed)` : String(total);
    };
    const httpErrors = (step: E2eStep) =>
      Object.entries(step.httpStatuses ?? {})
        .filter(([status]) => status !== "200")
        .map(([status, count]) => `${count}x${status === "0" ? "conn" : status}`)
        .join(" ") || "0";
    out.push(
      table(
        `End to end: ${TITLES[kind]}; open loop, 70% autocomplete; bot: ${run.runAs}`,
        [
          "offered/s",
          "sent/s",
          "served/s",
          "p50",
          "p99",
          "max",
          "p99 cmd",
          "p99 ac",
          "errors",
          "lost",
          "dup/thr",
          ...(run.transport === "http" ? ["HTTP !200"] : []),
          "bot REST",
          "bot CPU",
          "CPU ms/int",
          "bot loop",
          "bot GC max",
          "bot RSS",
          "fake CPU",
          "fake GC max",
          "others CPU",
        ],
        run.steps.map((step) => [
          String(step.rate),
          int(step.sentRate),
          int(step.servedRate),
          ms(step.latency.median),
          ms(step.latency.p99),
          ms(step.latency.max),
          ms(step.commands.p99),
          ms(step.autocomplete.p99),
          String(step.errors),
          String(step.lost),
          `${step.outcomes.duplicate ?? 0}/${step.outcomes.throttled ?? 0}`,
          ...(run.transport === "http" ? [httpErrors(step)] : []),
          rest(step),
          pct(step.botCpuPct),
          cpuPerInteraction(step).toFixed(3),
          pct(step.botEventLoopPct),
          ms(step.botGcMaxMs),
          mb(step.botPeakRssMb),
          pct(step.fakeCpuPct),
          ms(step.fakeGcMaxMs),
          `${pct(step.othersCpuPct)}${step.rerun ? " (rerun)" : ""}`,
        ]),
        [
          run.skippedRates.length > 0 ? `not run (an earlier step collapsed): ${run.skippedRates.join(", ")}/s` : "",
          `RSS idle ${mb(run.idle.rssMb)} MB (heap ${mb(run.idle.heapUsedMb)}), peak ${mb(run.afterLoad.peakRssMb)} MB; after the load (full GC before each reading): ${run.afterLoad.series.map((reading) => `${reading.afterMs / 1000} s ${mb(reading.rssMb)} MB (heap ${mb(reading.heapUsedMb)})`).join(", ")}.`,
          ...(run.transport === "http"
            ? [
                "Bodies are serialised and signed before each step (the generator only writes bytes); HTTP !200 = responses other than 200 (conn = the request failed).",
              ]
            : []),
          "bot REST = the bot's REST requests besides interaction callbacks (over HTTP: GET @original to link a public answer for flood control).",
          "CPU in % of one core (the machine has 2); CPU ms/int = bot CPU per interaction served; bot loop = event-loop utilisation; others = machine CPU not used by bot or fake;",
          "a step where others exceeded 25% was waited out and run again (rerun). dup/thr = flood-control notices (duplicate answer / slow down) instead of answers.",
          "GC max = longest GC pause in the step; the fake's own pauses delay dispatches and answers, so they are part of every latency figure, for every bot.",
        ]
          .filter(Boolean)
          .join("\n"),
      ),
    );
  }

  const summaryRows = E2E_SUBJECTS.flatMap((kind) => {
    const run = results.e2e[kind];
    if (!run) return [];
    const best = sustainable(run);
    const at1000 = run.steps.find((step) => step.rate === 1000);
    const { peakMb } = servingPeakRss(run);
    return [
      [
        SUBJECT_LABEL[kind],
        best ? `${int(best.servedRate)}/s` : "none",
        best ? `${ms(best.latency.median)} / ${ms(best.latency.p99)}` : "-",
        at1000 ? cpuPerInteraction(at1000).toFixed(3) : "-",
        best ? cpuPerInteraction(best).toFixed(3) : "-",
        mb(run.idle.rssMb),
        mb(peakMb),
        mb(run.afterLoad.peakRssMb),
      ],
    ];
  });
  if (summaryRows.length > 0) {
    out.push(
      table(
        "End to end, summary: sustained rate = the highest step with p99 < 25 ms, nothing lost, no errors",
        [
          "subject",
          "sustained",
          "p50 / p99 there",
          "CPU ms/int at 1000/s",
          "CPU ms/int there",
          "RSS idle",
          "RSS peak to sustained",
          "RSS peak all steps",
        ],
        summaryRows,
      ),
    );
  }

  if (results.targets.length > 0) {
    out.push(
      table(
        "Targets",
        ["", "target", "required", "measured"],
        results.targets.map((target) => [
          target.pass === null ? "INFO" : target.pass ? "PASS" : "MISS",
          target.name,
          target.target,
          target.figure,
        ]),
        undefined,
        4,
      ),
    );
  }
  out.push("", `finished in ${results.durationS.toFixed(0)} s`);
  return out.join("\n");
}
