/**
 * The bots of the end-to-end phase run as `npm start` runs Stackbot: compiled by tsc (the settings of
 * tsconfig.build.json, source maps included) and started by plain node, not through tsx, whose
 * transform and source cache would add to their memory and start-up. The build goes to
 * node_modules/.cache/stackbot-bench-build (rebuilt on every run, never committed).
 */
import { execFileSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BUILD_DIR = join(ROOT, "node_modules", ".cache", "stackbot-bench-build");
const TSCONFIG = fileURLToPath(new URL("./tsconfig.build.json", import.meta.url));

export interface BotBuild {
  dir: string;
  ms: number;
  /** The compiled entry of a bench/e2e script, e.g. "bot-process" -> BUILD_DIR/bench/e2e/bot-process.js. */
  entry: (name: "bot-process" | "minimal-bot") => string;
  /** What tsc reported (type errors do not stop the emit, as with `npm run build` they would). */
  diagnostics: string;
}

export function buildBots(): BotBuild {
  const started = performance.now();
  rmSync(BUILD_DIR, { recursive: true, force: true });
  let diagnostics = "";
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", TSCONFIG], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    diagnostics = `${stdout?.toString("utf8") ?? ""}${stderr?.toString("utf8") ?? ""}`.trim();
  }
  const entry = (name: "bot-process" | "minimal-bot") => join(BUILD_DIR, "bench", "e2e", `${name}.js`);
  for (const name of ["bot-process", "minimal-bot"] as const) {
    if (!existsSync(entry(name))) throw new Error(`tsc did not emit ${entry(name)}:\n${diagnostics}`);
  }
  // Under node_modules no package.json above says "module"; the compiled files are ES modules.
  writeFileSync(join(BUILD_DIR, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  return { dir: BUILD_DIR, ms: performance.now() - started, entry, diagnostics };
}
