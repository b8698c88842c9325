/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, or `npm run bench -- --profile`): the functions
 * with the most self time, self time by package, and the project's own functions by inclusive time.
 *
 *   node --import tsx bench/profile-summary.ts FILE_OR_DIR [--top 25] [--skip-idle]
 *
 * A directory means its largest .cpuprofile (the main thread; tsx adds a small one for its loader thread).
 * The e2e bots run compiled (e2e/build.ts): their files are shown as the project's (src/..., line
 * numbers of the compiled .js).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BUILD_DIR } from "./e2e/build.ts";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A frame's file, with the bench's compiled copy of the project (e2e/build.ts) mapped back onto the project. */
function projectPath(url: string): string {
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  return path.startsWith(`${BUILD_DIR}/`) ? join(ROOT, relative(BUILD_DIR, path)) : path;
}

function largestProfile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => join(path, name))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) throw new Error(`no .cpuprofile in ${path}`);
  return files[0];
}

function where(frame: CallFrame): string {
  if (!frame.url) return "";
  const path = projectPath(frame.url);
  const shown = path.startsWith(ROOT) ? relative(ROOT, path) : path;
  return `${shown}:${frame.lineNumber + 1}`;
}

/** node_modules/<package>, project dirs (src/x, commands, bench, test), node internals, or V8 pseudo-frames. */
function packageOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return `(${frame.functionName || "native"})`;
  if (url.startsWith("node:")) return "node internals";
  const path = projectPath(url);
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (modules) return modules[1]!;
  if (path.startsWith(ROOT)) {
    const parts = relative(ROOT, path).split("/");
    return parts[0] === "src" ? `src/${parts[1]}` : parts[0]!;
  }
  return "other";
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  selfTop: { name: string; where: string; ms: number; pct: number }[];
  byPackage: { name: string; ms: number; pct: number }[];
  ownInclusive: { name: string; where: string; ms: number; pct: number }[];
}

export function summarizeProfile(file: string, top = 25, skipIdle = true): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });

  let idleUs = 0;
  let totalUs = 0;
  const self = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const node = nodes.get(id)!;
    const frame = node.callFrame;
    if (frame.functionName === "(idle)") {
      idleUs += us;
      if (skipIdle) continue;
    }
    totalUs += us;
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = self.get(key) ?? { name: frame.functionName || "(anonymous)", where: where(frame), us: 0 };
    entry.us += us;
    self.set(key, entry);
    const pkg = packageOf(frame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    // Inclusive time of the project's own functions: each distinct own frame on the stack, once.
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const f = nodes.get(current)!.callFrame;
      const own = packageOf(f);
      if (!(own.startsWith("src/") || own === "commands")) continue;
      const ownKey = `${f.functionName}|${f.url}|${f.lineNumber}`;
      if (seen.has(ownKey)) continue;
      seen.add(ownKey);
      const item = inclusive.get(ownKey) ?? { name: f.functionName || "(anonymous)", where: where(f), us: 0 };
      item.us += us;
      inclusive.set(ownKey, item);
    }
  }
  const pct = (us: number) => (100 * us) / (totalUs || 1);
  const sorted = <T extends { us: number }>(values: Iterable<T>) =>
    [...values].sort((a, b) => b.us - a.us).slice(0, top);
  return {
    file,
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    selfTop: sorted(self.values()).map((entry) => ({
      name: entry.name,
      where: entry.where,
      ms: entry.us / 1000,
      pct: pct(entry.us),
    })),
    byPackage: sorted([...packages].map(([name, us]) => ({ name, us }))).map((entry) => ({
      name: entry.name,
      ms: entry.us / 1000,
      pct: pct(entry.us),
    })),
    ownInclusive: sorted(inclusive.values()).map((entry) => ({
      name: entry.name,
      where: entry.where,
      ms: entry.us / 1000,
      pct: pct(entry.us),
    })),
  };
}

function print(summary: ProfileSummary): void {
  const row = (pct: number, ms: number, text: string) =>
    `${pct.toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${text}`;
  console.log(
    `${summary.file}\nbusy ${summary.totalMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (percentages of busy time)`,
  );
  console.log("\nTop self time:");
  for (const entry of summary.selfTop) console.log(row(entry.pct, entry.ms, `${entry.name}  ${entry.where}`));
  console.log("\nSelf time by package:");
  for (const entry of summary.byPackage) console.log(row(entry.pct, entry.ms, entry.name));
  console.log("\nProject functions, inclusive time:");
  for (const entry of summary.ownInclusive) console.log(row(entry.pct, entry.ms, `${entry.name}  ${entry.where}`));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string", default: "25" }, "skip-idle": { type: "boolean", default: true } },
  });
  if (!positionals[0]) {
    console.error("usage: node --import tsx bench/profile-summary.ts FILE_OR_DIR [--top N]");
    process.exit(2);
  }
  print(summarizeProfile(largestProfile(positionals[0]), Number(values.top), values["skip-idle"]));
}
