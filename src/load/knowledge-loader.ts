import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import type { ContentIssue } from "../content/issues.ts";
import { loadContent, type SalvageCounts } from "../content/load.ts";
import { DEFAULT_CACHE_FILE } from "../content/parse-cache.ts";
import { PROJECT_ROOT } from "../content/project-root.ts";
import { buildKnowledge } from "../knowledge/build.ts";
import { SearchIndex } from "../search/index.ts";
import type { Knowledge } from "./knowledge.ts";

/** The project's own content: the default content root, and always the home of the registries. */
export const BUNDLED_CONTENT_DIR = join(PROJECT_ROOT, "content");

export interface LoadedKnowledge {
  /** Null when the content has errors: nothing half-valid is ever served. */
  knowledge: Knowledge | null;
  issues: ContentIssue[];
  errors: ContentIssue[];
  warnings: ContentIssue[];
  /** What a site checkout's tolerant reading mended or left out. */
  salvage: SalvageCounts;
  timings: { loadMs: number; buildMs: number; indexMs: number };
}

/** Load, validate, join and index: everything from files on disk to a searchable knowledge base. */
export function loadKnowledge(
  contentDir: string = BUNDLED_CONTENT_DIR,
  registryDir: string = BUNDLED_CONTENT_DIR,
  /** The parsed-MDX cache; null parses every file afresh (the benchmark's cold start). */
  cacheFile?: string | null,
): LoadedKnowledge {
  const started = performance.now();
  const content = loadContent({ contentDir, registryDir, ...(cacheFile !== undefined ? { cacheFile } : {}) });
  const loaded = performance.now();
  const { kb, issues: joinIssues } = buildKnowledge(content);
  const built = performance.now();
  const issues = [...content.issues, ...joinIssues];
  const errors = issues.filter((issue) => issue.severity === "error");
  const index = errors.length === 0 ? new SearchIndex(kb, indexFileFor(contentDir, cacheFile)) : null;
  const indexed = performance.now();
  return {
    knowledge: index ? { kb, index } : null,
    issues,
    errors,
    warnings: issues.filter((issue) => issue.severity === "warning"),
    salvage: content.salvage,
    timings: {
      loadMs: loaded - started,
      buildMs: built - loaded,
      indexMs: indexed - built,
    },
  };
}

/**
 * Where the built search index of one content directory is kept between starts: beside the parsed
 * MDX cache, one file per directory so that two contents do not overwrite each other's. No parse
 * cache (a cold start) means no index cache either.
 */
function indexFileFor(contentDir: string, cacheFile: string | null | undefined): string | null {
  if (cacheFile === null) return null;
  const tag = createHash("sha1").update(resolve(contentDir)).digest("hex").slice(0, 12);
  return join(dirname(cacheFile ?? DEFAULT_CACHE_FILE), `index-${tag}.json`);
}
