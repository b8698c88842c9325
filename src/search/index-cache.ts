import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Bump when what the index stores changes: old files are then ignored. */
export const INDEX_CACHE_VERSION = 1;

/** A built index as it is kept on disk: MiniSearch's own JSON for both indexes, and the vocabulary. */
export interface StoredIndex {
  version: number;
  key: string;
  text: string;
  names: string;
  vocabulary: string[];
}

/** The key of a set of indexed rows: the same rows give the same index. */
export function indexKey(rows: unknown): string {
  return createHash("sha1")
    .update(`${INDEX_CACHE_VERSION}:${JSON.stringify(rows)}`)
    .digest("base64url");
}

/**
 * Building the full-text index is the slowest step of start-up for the site's content; loading the
 * one a previous start built from the same rows is about four times faster. A file that cannot be
 * read, is stale or cannot be written is simply not used.
 */
export function readStoredIndex(file: string | null, key: string): StoredIndex | null {
  if (!file) return null;
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as StoredIndex;
    return stored.version === INDEX_CACHE_VERSION && stored.key === key ? stored : null;
  } catch {
    return null;
  }
}

/** Index files kept at most: one per content directory, the least recently written go first. */
const KEPT_INDEX_FILES = 8;

export function writeStoredIndex(file: string | null, stored: StoredIndex): void {
  if (!file) return;
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    const pending = `${file}.${process.pid}.tmp`;
    writeFileSync(pending, JSON.stringify(stored));
    renameSync(pending, file);
    const others = readdirSync(dir)
      .filter((name) => /^index-.*\.json$/.test(name))
      .map((name) => join(dir, name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const old of others.slice(KEPT_INDEX_FILES)) rmSync(old, { force: true });
  } catch {
    // A read-only checkout still serves; it only builds the index each time.
  }
}
