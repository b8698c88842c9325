import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { startBot } from "../../src/bot/bot.ts";
import { KnowledgeHolder } from "../../src/bot/knowledge-holder.ts";
import { createLogger } from "../../src/bot/logger.ts";
import { describeStartupFailure } from "../../src/bot/startup-failure.ts";
import { loadKnowledge } from "../../src/load/knowledge-loader.ts";
import { SqliteStore } from "../../src/store/store.ts";
import { FakeDiscord, ids } from "../fake-discord/index.ts";
import { LogCapture, TEST_TOKEN } from "../helpers/bot-harness.ts";
import { tempDataDir } from "../helpers/temp-dir.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;

async function fakeDiscord(options: Parameters<typeof FakeDiscord.start>[0] = {}): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start(options);
  onTestFinished(() => fake.stop());
  return fake;
}

/** Runs a script with a clean environment; resolves with its exit code and output, whatever the code. */
async function runScript(script: string, env: Record<string, string>, args: string[] = []) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: tempDataDir(), LOG_LEVEL: "silent", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The one line a failed start prints, and no stray rejection. */
function failureLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/unhandled|This operation was aborted/i);
  return lines[0]!;
}

describe("start-up failures name what was tried, the likely cause and the variable to check", () => {
  it("nothing listening at DISCORD_API_BASE", async () => {
    const result = await runScript("src/main.ts", {
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_BASE: "http://127.0.0.1:9/api",
    });
    expect(result.code).toBe(1);
    expect(failureLine(result.stderr)).toBe(
      "Stackbot cannot start: cannot reach the API at http://127.0.0.1:9/api (DISCORD_API_BASE): the connection was refused; check DISCORD_API_BASE and that the server there is running.",
    );
  });

  it("a DISCORD_API_BASE without /api", async () => {
    const fake = await fakeDiscord();
    const base = fake.apiBase.replace(/\/api$/, "");
    const result = await runScript("src/main.ts", { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_BASE: base });
    expect(result.code).toBe(1);
    expect(failureLine(result.stderr)).toContain("answered 404 Not Found: DISCORD_API_BASE looks wrong");
  });

  it("a token Discord refuses", async () => {
    const fake = await fakeDiscord({ botToken: TEST_TOKEN });
    const result = await runScript("src/main.ts", {
      DISCORD_TOKEN: "MTAwMDAwMDAwMDAwMDAwMDAy.another.token-that-is-wrong",
      DISCORD_API_BASE: fake.apiBase,
    });
    expect(result.code).toBe(1);
    expect(failureLine(result.stderr)).toContain("refused the bot token (401 Unauthorized): DISCORD_TOKEN is wrong");
  });

  it("npm run deploy without a token says what cannot run and what to set", async () => {
    const result = await runScript("src/cli/deploy.ts", {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^npm run deploy cannot register the commands; .*\n\s+DISCORD_TOKEN is required/);
  });

  it("npm run deploy against nothing listening", async () => {
    const result = await runScript("src/cli/deploy.ts", {
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_APPLICATION_ID: ids.application,
      DISCORD_API_BASE: "http://127.0.0.1:9/api",
    });
    expect(result.code).toBe(1);
    expect(failureLine(result.stderr)).toMatch(
      /^npm run deploy failed: cannot reach the API at http:\/\/127.0.0.1:9\/api/,
    );
  });

  it("a gateway that never says READY: one clear error, no stray rejection afterwards", async () => {
    const fake = await fakeDiscord({ silentGateway: true });
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir);
    onTestFinished(() => store.close());
    const logs = new LogCapture();
    const loaded = loadKnowledge(undefined);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    onTestFinished(() => {
      process.off("unhandledRejection", onRejection);
    });
    const failure = await startBot({
      config: { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_BASE: fake.apiBase, OWNER_IDS: [] },
      holder: new KnowledgeHolder(loaded.knowledge!, undefined),
      store,
      logger: createLogger("debug", logs),
      client: { rest: { retries: 0, timeout: 2000 } },
      readyTimeoutMs: 1500,
    }).catch((error: unknown) => error);
    expect(describeStartupFailure(failure, fake.apiBase)).toMatch(
      /^logged in to the API at .* \(DISCORD_API_BASE\), but its gateway sent no READY within 2 s: the gateway is not answering/,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(rejections).toEqual([]);
  });

  it("an error that is neither a network error nor an HTTP answer does not blame the API", () => {
    const message = describeStartupFailure(new SyntaxError("Unexpected end of JSON input"), "http://127.0.0.1:9/api");
    expect(message).toMatch(/^Stackbot failed while starting/);
    expect(message).toContain("Unexpected end of JSON input");
    expect(message).toContain("not a network or API problem");
    expect(message).not.toContain("DISCORD_API_BASE");
  });

  it("no network or DNS is named as such", () => {
    const error = new TypeError("fetch failed", {
      cause: Object.assign(new Error("getaddrinfo ENOTFOUND discord.com"), { code: "ENOTFOUND" }),
    });
    expect(describeStartupFailure(error, undefined)).toBe(
      "cannot reach Discord's API (discord.com): the host name could not be resolved (no network or DNS); check the machine's network and DNS, or set DISCORD_API_BASE if you route through a proxy.",
    );
  });
});
