import { execFileSync } from "node:child_process";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { BotMetrics } from "../src/bot/metrics.ts";
import { loadKnowledge } from "../src/load/knowledge-loader.ts";
import { resolveContent } from "../src/sync/content-source.ts";
import { ContentSync } from "../src/sync/content-sync.ts";
import { ids } from "./fake-discord/index.ts";
import { callbackData, startHarness } from "./helpers/bot-harness.ts";
import { siteFixture } from "./helpers/site-fixture.ts";
import { tempDataDir } from "./helpers/temp-dir.ts";

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Site",
  GIT_AUTHOR_EMAIL: "site@example.org",
  GIT_COMMITTER_NAME: "Site",
  GIT_COMMITTER_EMAIL: "site@example.org",
};

/** A real git repository holding a site-shaped checkout, with one commit. */
function siteRepository() {
  const { dir } = siteFixture();
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: "pipe" }).toString().trim();
  git("init", "--quiet", "--initial-branch=main");
  git("add", "-A");
  git("commit", "--quiet", "-m", "site content");
  const commit = (message: string) => {
    git("add", "-A");
    git("commit", "--quiet", "-m", message);
    return git("rev-parse", "HEAD");
  };
  return { dir, git, commit, head: () => git("rev-parse", "HEAD") };
}

const loraFile = (repo: string) => join(repo, "src/content/glossary/lora.mdx");

describe("content that syncs itself from the site's repository", () => {
  it("a new commit changing one glossary entry is served after one sync", async () => {
    const repo = siteRepository();
    const dataDir = tempDataDir();
    const sync = new ContentSync(repo.dir, dataDir);
    const first = await sync.sync();
    expect(first.status).toBe("updated");
    expect(sync.current()?.commit).toBe(repo.head());
    expect((await sync.sync()).status).toBe("unchanged");

    const text = readFileSync(loraFile(repo.dir), "utf8");
    writeFileSync(
      loraFile(repo.dir),
      text.replace(/^summary: .*$/m, 'summary: "Trains two small matrices beside frozen weights: the synced summary."'),
    );
    const second = repo.commit("reword LoRA");
    const result = await sync.sync();
    expect(result.status).toBe("updated");
    if (result.status !== "updated") return;
    expect(result.copy.commit).toBe(second);
    expect(result.copy.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(result.loaded.knowledge?.kb.terms.get("lora")?.summary).toContain("the synced summary");
    expect(sync.lastResult()?.result).toMatch(/^updated to commit /);
  });

  it("a commit with broken content leaves the old content serving and reports why", async () => {
    const repo = siteRepository();
    const dataDir = tempDataDir();
    const sync = new ContentSync(repo.dir, dataDir);
    await sync.sync();
    const good = sync.current()!;
    rmSync(join(repo.dir, "src/content/glossary"), { recursive: true });
    repo.commit("lose the glossary");
    const result = await sync.sync();
    expect(result.status).toBe("failed");
    expect(result.status === "failed" && result.reason).toMatch(
      /content error\(s\), so the previous content keeps serving: .*no glossary entries/,
    );
    expect(sync.current()?.commit).toBe(good.commit);
    expect(loadKnowledge(sync.current()!.dir).knowledge?.kb.terms.has("lora")).toBe(true);
  });

  it("a source that does not exist is reported with git's own fatal line", async () => {
    const result = await new ContentSync("file:///nonexistent/stackbot-site.git", tempDataDir()).sync();
    expect(result.status).toBe("failed");
    const reason = result.status === "failed" ? result.reason : "";
    expect(reason).toMatch(/git clone failed for file:\/\/\/nonexistent\/stackbot-site\.git: fatal: /);
    expect(reason).not.toMatch(/: and the repository exists\.$/);
  });

  it("a restart with the source unreachable serves the last good copy", async () => {
    const repo = siteRepository();
    const dataDir = tempDataDir();
    await new ContentSync(repo.dir, dataDir).sync();
    const moved = `${repo.dir}-gone`;
    renameSync(repo.dir, moved);
    onTestFinished(() => rmSync(moved, { recursive: true, force: true }));

    const resolution = resolveContent({ CONTENT_SOURCE: repo.dir, DATA_DIR: dataDir });
    expect(resolution.dir).toBeDefined();
    expect(loadKnowledge(resolution.dir).knowledge?.kb.origin).toBe("site");
    const retried = await resolution.sync!.sync();
    expect(retried.status === "failed" && retried.reason).toMatch(/git fetch failed/);
    expect(resolution.sync!.current()?.dir).toBe(resolution.dir);
  });

  it("a first sync that fails shows in /healthz (degraded, naming it) and in a metric", async () => {
    const sync = new ContentSync("file:///nonexistent/stackbot-site.git", tempDataDir());
    await sync.sync();
    const metrics = new BotMetrics();
    const { bot } = await startHarness({ metrics, contentSync: { sync, everyMs: 3_600_000 } });
    const content = (await bot.health()).find((check) => check.name === "content");
    expect(content).toMatchObject({ ok: true, degraded: true });
    expect(content?.detail).toMatch(
      /CONTENT_SOURCE file:\/\/\/nonexistent\/stackbot-site\.git has not synced \(failed: git clone failed.*fatal: .*\); serving the bundled content/,
    );
    expect(await metrics.render()).toMatch(/^stackbot_content_source_synced 0$/m);
  });

  it("the bot swaps to a synced commit and /help shows the commit and its date", async () => {
    const repo = siteRepository();
    const dataDir = tempDataDir();
    const sync = new ContentSync(repo.dir, dataDir);
    const { fake, bot } = await startHarness({ contentSync: { sync, everyMs: 3_600_000 } });
    await bot.syncContent();
    const help = await callbackData(fake, fake.chatInput("help", {}).id);
    const content = help.data?.embeds[0].fields.find((field: { name: string }) => field.name === "Content")?.value;
    expect(content).toMatch(new RegExp(`synced at commit ${repo.head().slice(0, 7)} of \\d{4}-\\d{2}-\\d{2}`));
    fake.chatInput("reload", { status: true }, { userId: ids.owner });
    // /reload defers, then edits its answer in.
    const status = await fake.waitForRequest<{ content: string }>({ method: "PATCH", path: /@original$/ });
    expect(status.body.content).toMatch(/\*\*Last sync:\*\* updated to commit/);
  });
});
