import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { SqliteStore } from "../src/store/store.ts";
import { tempDataDir } from "./helpers/temp-dir.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const script = join(root, "src/cli/gaps-export.ts");
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Runs `npm run gaps:export` from a directory of its own, with only the variables given. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "stackbot-cwd-"));
  onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", tsx, script, ...args],
      { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run gaps:export", () => {
  it("adds up the servers' gaps and votes; text only from a server that kept it; csv and json", async () => {
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir);
    const now = Date.now();
    await store.gaps.setSettings("kept", { keepText: true, retentionDays: 30 }, now);
    const gap = { kind: "unknown-name", missing: "zorblax-13b", contentVersion: "v1", at: now - 1000 };
    await store.gaps.record({ ...gap, guildId: "kept", question: "is zorblax-13b apache, a, b?" });
    await store.gaps.record({ ...gap, guildId: "counted", question: null });
    await store.gaps.record({ ...gap, guildId: "counted", question: null, at: now - 40 * 86_400_000 });
    await store.gaps.recordFeedback({
      guildId: "counted",
      messageId: "m",
      voter: "h",
      answerKind: "clause",
      entry: "license:llama-4#user-cap",
      reason: null,
      question: null,
      contentVersion: "v1",
      at: now - 1000,
    });
    await store.close();

    const csv = await run(["--since", "30d"], { DATA_DIR: dataDir });
    expect(csv.code).toBe(0);
    expect(csv.stdout.trim().split("\n")).toEqual([
      "type,kind,what,count,servers,example",
      'gap,unknown-name,zorblax-13b,2,2,"is zorblax-13b apache, a, b?"',
      "marked-wrong,clause,license:llama-4#user-cap,1,1,",
    ]);
    const json = await run(["--since", "90d", "--format", "json"], { DATA_DIR: dataDir });
    expect(JSON.parse(json.stdout).gaps[0]).toMatchObject({ missing: "zorblax-13b", count: 3, servers: 2 });

    const bad = await run(["--since", "soon"], { DATA_DIR: dataDir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--since takes a number of days such as 30d/);
  });
});
