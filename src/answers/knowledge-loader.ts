import { join } from "node:path";
import type { ContentIssue } from "../content/issues.ts";
import { loadContent, type SalvageCounts } from "../content/load.ts";
import { PROJECT_ROOT } from "../content/project-root.ts";
import { buildKnowledge } from "../knowledge/build.ts";
import { SearchIndex } from "../search/index.ts";
import type { Knowledge } from "./types.ts";

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
  const index = errors.length === 0 ? new SearchIndex(kb) : null;
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
