import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { formatIssue } from "../content/issues.ts";
import { type LoadedKnowledge, loadKnowledge } from "../load/knowledge-loader.ts";

const run = promisify(execFile);

/** The parts of the site's repository the bot reads: a shallow, sparse copy holds only these. */
const SITE_PATHS = ["src/content", "data"] as const;
const GIT_TIMEOUT_MS = 120_000;

/** The copy being served: which commit of which source, from when, and where its files are. */
export interface SyncedCopy {
  source: string;
  commit: string;
  /** The commit's date, ISO 8601. */
  date: string;
  dir: string;
  syncedAt: string;
}

export type SyncResult =
  | { status: "updated"; copy: SyncedCopy; loaded: LoadedKnowledge }
  | { status: "unchanged"; copy: SyncedCopy }
  | { status: "failed"; reason: string };

export class SyncError extends Error {
  override readonly name = "SyncError";
}

/**
 * Keeps a copy of the site's repository under the data directory: a shallow clone that fetches
 * only the newest commit, whose `src/content` and `data` are written out to a snapshot directory
 * per commit. A new snapshot is served only when it loads with no error; the pointer to the served
 * one is replaced atomically and survives restarts, so a restart without network still serves.
 */
export class ContentSync {
  private readonly root: string;
  private readonly repo: string;
  private readonly pointer: string;
  private last: { at: string; result: string } | null = null;

  constructor(
    readonly source: string,
    dataDir: string,
    private readonly load: (dir: string) => LoadedKnowledge = (dir) => loadKnowledge(dir),
  ) {
    this.root = join(dataDir, "content-sync");
    this.repo = join(this.root, "repo");
    this.pointer = join(this.root, "current.json");
  }

  /** The copy last served, or null before the first successful sync. */
  current(): SyncedCopy | null {
    try {
      const copy = JSON.parse(readFileSync(this.pointer, "utf8")) as SyncedCopy;
      return copy.source === this.source && existsSync(copy.dir) ? copy : null;
    } catch {
      return null;
    }
  }

  /** What the last sync did, in words, for `/reload status`. */
  lastResult(): { at: string; result: string } | null {
    return this.last;
  }

  /** Fetches the newest commit and, when it is new and loads cleanly, makes it the served copy. */
  async sync(): Promise<SyncResult> {
    const result = await this.attempt().catch(
      (error: unknown): SyncResult => ({
        status: "failed",
        reason: error instanceof Error ? error.message : String(error),
      }),
    );
    this.last = { at: new Date().toISOString(), result: describe(result) };
    return result;
  }

  private async attempt(): Promise<SyncResult> {
    mkdirSync(this.root, { recursive: true });
    const commit = await this.fetchNewest();
    const served = this.current();
    if (served?.commit === commit) return { status: "unchanged", copy: served };

    const dir = join(this.root, "snapshots", commit);
    if (!existsSync(dir)) await this.writeSnapshot(commit, dir);
    const loaded = this.load(dir);
    if (!loaded.knowledge) {
      rmSync(dir, { recursive: true, force: true });
      const shown = loaded.errors.slice(0, 5).map(formatIssue).join("; ");
      return {
        status: "failed",
        reason: `commit ${commit.slice(0, 12)} has ${loaded.errors.length} content error(s), so the previous content keeps serving: ${shown}`,
      };
    }
    const copy: SyncedCopy = {
      source: this.source,
      commit,
      date: (await this.git(["show", "-s", "--format=%cI", commit])).trim(),
      dir,
      syncedAt: new Date().toISOString(),
    };
    const pending = `${this.pointer}.new`;
    writeFileSync(pending, `${JSON.stringify(copy, null, 2)}\n`);
    renameSync(pending, this.pointer);
    this.prune([dir, served?.dir].filter((kept): kept is string => Boolean(kept)));
    return { status: "updated", copy, loaded };
  }

  /** Clones on first use, fetches after; either way only the newest commit's objects. */
  private async fetchNewest(): Promise<string> {
    if (!existsSync(join(this.repo, ".git"))) {
      rmSync(this.repo, { recursive: true, force: true });
      await this.git(
        ["clone", "--quiet", "--no-checkout", "--depth", "1", "--filter=blob:none", this.source, this.repo],
        this.root,
      );
      return (await this.git(["rev-parse", "HEAD"])).trim();
    }
    await this.git(["fetch", "--quiet", "--depth", "1", "origin", "HEAD"]);
    return (await this.git(["rev-parse", "FETCH_HEAD"])).trim();
  }

  /** Writes the commit's `src/content` and `data` into a new directory, then moves it into place. */
  private async writeSnapshot(commit: string, dir: string): Promise<void> {
    const present = (await this.git(["ls-tree", "-d", "--name-only", commit, ...SITE_PATHS]))
      .split("\n")
      .filter(Boolean);
    if (!present.includes("src/content")) {
      throw new SyncError(
        `commit ${commit.slice(0, 12)} of ${this.source} has no src/content: is it the site's repository?`,
      );
    }
    const pending = `${dir}.partial`;
    rmSync(pending, { recursive: true, force: true });
    mkdirSync(pending, { recursive: true });
    await this.git([`--work-tree=${pending}`, "checkout", "--quiet", commit, "--", ...present]);
    renameSync(pending, dir);
  }

  private prune(keep: string[]): void {
    const snapshots = join(this.root, "snapshots");
    for (const name of existsSync(snapshots) ? readdirSync(snapshots) : []) {
      const path = join(snapshots, name);
      if (!keep.includes(path)) rmSync(path, { recursive: true, force: true });
    }
  }

  private async git(args: string[], cwd = this.repo): Promise<string> {
    try {
      const { stdout } = await run("git", args, { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: string };
      if (failure.code === "ENOENT") {
        throw new SyncError(
          "git is not installed, and content sync needs it: install git (Debian: apt-get install git)",
        );
      }
      // git's own "fatal:" line says what went wrong; its last line is often only a hint.
      const lines = (failure.stderr ?? failure.message).trim().split("\n");
      const detail = lines.find((line) => /^(?:fatal|error):/.test(line.trim()))?.trim() ?? lines.at(-1);
      throw new SyncError(`git ${args[0]} failed for ${this.source}: ${detail}`);
    }
  }
}

function describe(result: SyncResult): string {
  if (result.status === "failed") return `failed: ${result.reason}`;
  const { commit, date } = result.copy;
  return `${result.status === "updated" ? "updated to" : "unchanged at"} commit ${commit.slice(0, 12)} (${date})`;
}
