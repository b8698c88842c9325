/**
 * Child: one start-up in a fresh process. Imports the loader, loads, validates, joins and indexes the
 * content, then reports the split timings and the memory the loaded knowledge holds (after a full GC).
 * Run with --expose-gc. Args: --content DIR --cache NAME|none (none: every MDX file parsed afresh).
 */
import { argValue, exitWithParent, sendResultAndExit } from "./ipc.ts";

exitWithParent();
const contentDir = argValue("content");
const cacheName = argValue("cache", "none");
const importStarted = performance.now();
const { benchCacheFile, loadKnowledgeWith } = await import("./knowledge.ts");
const imported = performance.now();
const cacheFile = benchCacheFile(cacheName === "none" ? null : cacheName);
const loaded = loadKnowledgeWith(contentDir, cacheFile);
const done = performance.now();
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const memory = process.memoryUsage();
// A second load in the same (now warm) process, for comparison.
const warm = loadKnowledgeWith(contentDir, cacheFile).timings;
const knowledge = loaded.knowledge;

await sendResultAndExit({
  timings: loaded.timings,
  totalMs: loaded.timings.loadMs + loaded.timings.buildMs + loaded.timings.indexMs,
  importMs: imported - importStarted,
  /** From process start (node's time origin) to knowledge ready: runtime, tsx, imports and load. */
  processToReadyMs: done,
  warm,
  errors: loaded.errors.length,
  warnings: loaded.warnings.length,
  counts: knowledge
    ? {
        documents: knowledge.index.size,
        terms: knowledge.kb.terms.size,
        licences: knowledge.kb.licences.size,
        families: knowledge.kb.families.size,
        models: knowledge.kb.models.size,
        sections: knowledge.kb.sections.size,
      }
    : null,
  rssMb: memory.rss / 2 ** 20,
  heapUsedMb: memory.heapUsed / 2 ** 20,
  gcAvailable: Boolean(gc),
});
