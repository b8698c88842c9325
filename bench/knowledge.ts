/**
 * loadKnowledge() as src/answers/knowledge-loader.ts does it (load and validate, join, index, with
 * the same timing split), with one difference: the parsed-MDX cache file is chosen here. The bench
 * measures cold (no cache) and warm (primed cache) start-ups, and keeps its caches under the temp
 * dir instead of writing the project's own node_modules/.cache/stackbot (which the large synthetic
 * corpus would otherwise fill and evict). Keep in step with knowledge-loader.ts.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLED_CONTENT_DIR, type LoadedKnowledge } from "../src/answers/knowledge-loader.ts";
import { loadContent } from "../src/content/load.ts";
import { buildKnowledge } from "../src/knowledge/build.ts";
import { SearchIndex } from "../src/search/index.ts";

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
  const started = performance.now();
  const content = loadContent({ contentDir, registryDir, cacheFile });
  const loaded = performance.now();
  const { kb, issues: joinIssues } = buildKnowledge(content);
  const built = performance.now();
  const issues = [...content.issues, ...joinIssues];
  const errors = issues.filter((issue) => issue.severity === "error");
  const index = errors.length === 0 ? new SearchIndex(kb) : null;
  const indexed = performance.now();
  return {
    knowledge: index ? { kb, index } : null,
    issues,
    errors,
    warnings: issues.filter((issue) => issue.severity === "warning"),
    timings: { loadMs: loaded - started, buildMs: built - loaded, indexMs: indexed - built },
  };
}
