/**
 * The bench measures cold (no cache) and warm (primed cache) start-ups, and keeps its parse caches
 * under the temp dir instead of the project's own node_modules/.cache/stackbot (which the large
 * synthetic corpus would otherwise fill and evict).
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Knowledge } from "../src/answers/types.ts";
import { BUNDLED_CONTENT_DIR, type LoadedKnowledge, loadKnowledge } from "../src/load/knowledge-loader.ts";
import type { Budget } from "./config.ts";
import { argValue, exitWithParent } from "./ipc.ts";

export const BENCH_CACHE_DIR = join(tmpdir(), "stackbot-bench-cache");

/** A cache file of the bench's own, by name; null means no cache (a cold parse of every file). */
export function benchCacheFile(name: string | null): string | null {
  if (name === null) return null;
  mkdirSync(BENCH_CACHE_DIR, { recursive: true });
  return join(BENCH_CACHE_DIR, `${name}.json`);
}

export function loadKnowledgeWith(
  contentDir: string = BUNDLED_CONTENT_DIR,
  cacheFile: string | null,
  registryDir: string = BUNDLED_CONTENT_DIR,
): LoadedKnowledge {
  return loadKnowledge(contentDir, registryDir, cacheFile);
}

/** What every in-process bench child starts with: its budget and the knowledge for `--content`. */
export function childKnowledge(): { knowledge: Knowledge; budget: Budget } {
  exitWithParent();
  const contentDir = argValue("content");
  const budget = JSON.parse(argValue("budget")) as Budget;
  const loaded = loadKnowledgeWith(contentDir, benchCacheFile(argValue("cache", "bench")));
  if (!loaded.knowledge) throw new Error(`content has ${loaded.errors.length} errors`);
  return { knowledge: loaded.knowledge, budget };
}
