import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type ParsedMdx, parseMdx } from "./mdx.ts";
import { PROJECT_ROOT } from "./project-root.ts";

/** Bump when parseMdx's output changes shape or meaning: old entries are then ignored. */
const PARSER_VERSION = 1;

export const DEFAULT_CACHE_FILE = join(
  PROJECT_ROOT,
  "node_modules",
  ".cache",
  "stackbot",
  `mdx-v${PARSER_VERSION}.json`,
);

/**
 * Remembers parsed MDX by the hash of its text, so a restart or a reload re-parses only the files
 * that changed (the Markdown parser is the slowest step of start-up). Validation still runs on every
 * load; only parsing is skipped. A cache that cannot be read or written is simply not used.
 */
export class MdxParseCache {
  private readonly previous: Record<string, ParsedMdx>;
  private readonly used: Record<string, ParsedMdx> = {};
  private misses = 0;

  constructor(private readonly file: string | null = DEFAULT_CACHE_FILE) {
    this.previous = file ? readCache(file) : {};
  }

  parse(text: string): ParsedMdx {
    const key = createHash("sha1").update(text).digest("base64url");
    let parsed = this.used[key] ?? this.previous[key];
    if (!parsed) {
      parsed = parseMdx(text);
      this.misses += 1;
    }
    this.used[key] = parsed;
    return parsed;
  }

  /** Writes what this load used (dropping files that are gone) when anything changed. */
  save(): void {
    const stale = Object.keys(this.previous).some((key) => !(key in this.used));
    if (!this.file || (this.misses === 0 && !stale)) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(this.used));
      renameSync(temporary, this.file);
    } catch {
      // A read-only checkout still works, only without the cache.
    }
  }
}

function readCache(file: string): Record<string, ParsedMdx> {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return data && typeof data === "object" ? (data as Record<string, ParsedMdx>) : {};
  } catch {
    return {};
  }
}
