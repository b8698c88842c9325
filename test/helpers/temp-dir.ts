import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** A data directory of the test's own, removed after it: never the checkout's ./data. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "stackbot-data-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
