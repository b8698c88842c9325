import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { commandModules } from "../../commands/index.ts";
import { planDeploy } from "../../src/cli/deploy-plan.ts";
import { FakeDiscord, ids } from "../fake-discord/index.ts";
import { TEST_TOKEN } from "../helpers/bot-harness.ts";
import { tempDataDir } from "../helpers/temp-dir.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;

async function fakeDiscord(): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start();
  onTestFinished(() => fake.stop());
  return fake;
}

function env(fake: FakeDiscord, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // Never the checkout's ./data: on a deployed checkout that would be the live database.
    DATA_DIR: tempDataDir(),
    DISCORD_TOKEN: TEST_TOKEN,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_APPLICATION_ID: ids.application,
    LOG_LEVEL: "info",
    ...extra,
  };
}

describe("npm run deploy", () => {
  it("registers every command in one guild-scoped PUT when DISCORD_GUILD_ID is set, and reports the diff", async () => {
    const fake = await fakeDiscord();
    const { stdout } = await run("npx", ["tsx", "src/cli/deploy.ts"], {
      cwd: ROOT,
      env: env(fake, { DISCORD_GUILD_ID: ids.guild }),
    });
    const puts = fake.requests.filter((request) => request.method === "PUT");
    expect(puts.map((request) => request.path)).toEqual([
      `/applications/${ids.application}/guilds/${ids.guild}/commands`,
    ]);
    expect(
      fake
        .commands(ids.guild)
        .map((command) => command.name)
        .sort(),
    ).toEqual(commandModules.map((m) => m.definition.name).sort());
    expect(stdout).toContain(`added: ${commandModules.map((m) => `/${m.definition.name}`).join(", ")}`);

    const again = await run("npx", ["tsx", "src/cli/deploy.ts"], {
      cwd: ROOT,
      env: env(fake, { DISCORD_GUILD_ID: ids.guild }),
    });
    expect(again.stdout).toContain("added: none");
    expect(again.stdout).toContain("changed: none");
    // Two cold `npx tsx` starts: on a loaded two-core machine they alone can take most of 20 s.
  }, 60_000);

  it("a listing that fails after every command is registered does not fail the deploy or blame DISCORD_API_BASE", async () => {
    const fake = await fakeDiscord();
    fake.failNext({ method: "GET", path: "/users/@me/guilds", status: 404 });
    const { stdout, stderr } = await run("npx", ["tsx", "src/cli/deploy.ts"], { cwd: ROOT, env: env(fake) });
    expect(stdout).toContain(`Registered ${commandModules.length} commands`);
    expect(stdout).toContain(
      "Could not check the other scope for leftover copies (HTTP 404); the commands above are registered",
    );
    expect(`${stdout}${stderr}`).not.toContain("DISCORD_API_BASE");
    expect(fake.commands().length).toBe(commandModules.length);
  });

  it("registers globally when no guild is set", async () => {
    const fake = await fakeDiscord();
    await run("npx", ["tsx", "src/cli/deploy.ts"], { cwd: ROOT, env: env(fake) });
    const put = fake.requests.find((request) => request.method === "PUT");
    expect(put?.path).toBe(`/applications/${ids.application}/commands`);
    expect(fake.commands().length).toBe(commandModules.length);
  });
});

describe("npm run deploy across scopes", () => {
  it("moving from server commands to global ones says the server copies remain; --prune removes them", async () => {
    const fake = await fakeDiscord();
    await run("npx", ["tsx", "src/cli/deploy.ts"], { cwd: ROOT, env: env(fake, { DISCORD_GUILD_ID: ids.guild }) });
    expect(fake.commands(ids.guild).length).toBe(commandModules.length);

    const warned = await run("npx", ["tsx", "src/cli/deploy.ts"], { cwd: ROOT, env: env(fake) });
    expect(warned.stdout).toContain(
      `also registered in the other scope: server ${ids.guild} (${commandModules.length})`,
    );
    expect(fake.commands(ids.guild).length).toBe(commandModules.length);

    const pruned = await run("npx", ["tsx", "src/cli/deploy.ts", "--prune"], { cwd: ROOT, env: env(fake) });
    expect(pruned.stdout).toContain(`Pruned the other scope: removed the commands of server ${ids.guild}`);
    expect(fake.commands(ids.guild)).toEqual([]);
    expect(fake.commands().length).toBe(commandModules.length);
    // Three runs of the deploy command, each a fresh Node process: slow on a loaded machine.
  }, 60_000);

  it("deploying to one server with --prune removes the global copies", async () => {
    const fake = await fakeDiscord();
    await run("npx", ["tsx", "src/cli/deploy.ts"], { cwd: ROOT, env: env(fake) });
    const pruned = await run("npx", ["tsx", "src/cli/deploy.ts", "--prune"], {
      cwd: ROOT,
      env: env(fake, { DISCORD_GUILD_ID: ids.guild }),
    });
    expect(pruned.stdout).toContain("removed the commands of global");
    expect(fake.commands()).toEqual([]);
  }, 60_000);
});

describe("deploy plan", () => {
  it("compares full definitions, not only names", () => {
    const wanted = commandModules.map((module) => module.definition);
    const current = [
      { ...wanted[0], id: "1", version: "1" },
      { ...wanted[1], id: "2", description: "an older description" },
      { name: "retired", description: "gone", id: "3" },
    ];
    const plan = planDeploy(current, wanted);
    expect(plan.unchanged).toEqual([wanted[0]!.name]);
    expect(plan.changed).toEqual([wanted[1]!.name]);
    expect(plan.removed).toEqual(["retired"]);
    expect(plan.added.length).toBe(wanted.length - 2);
  });
});

describe("the first hour: .env.example copied to .env", () => {
  it("starts and reaches READY with the blank lines left as they are (SHARDS= is unset, not JSON)", async () => {
    const fake = await fakeDiscord();
    const dir = mkdtempSync(join(tmpdir(), "stackbot-dotenv-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // The README's path: copy the example, fill in the token (and, here, where Discord is).
    const filled = readFileSync(join(ROOT, ".env.example"), "utf8")
      .replace(/^DISCORD_TOKEN=$/m, `DISCORD_TOKEN=${TEST_TOKEN}`)
      .replace(/^DISCORD_API_BASE=$/m, `DISCORD_API_BASE=${fake.apiBase}`)
      .replace(/^DATA_DIR=$/m, `DATA_DIR=${tempDataDir()}`);
    writeFileSync(join(dir, ".env"), filled);
    // Run from the folder that holds the .env, as an operator would; tsx from the checkout.
    const tsx = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
    const child: ChildProcess = spawn(process.execPath, ["--import", tsx, join(ROOT, "src/main.ts")], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    await expect
      .poll(() => output.includes('"msg":"ready"') || child.exitCode !== null, { timeout: 20_000 })
      .toBe(true);
    expect(output).toContain('"msg":"ready"');
    expect(output).not.toContain("Unexpected end of JSON input");
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    expect((await exited)[0]).toBe(0);
  });
});

describe("npm start and signals", () => {
  it("SIGTERM sent to the npm process reaches the bot, which stops cleanly; nothing is left running", async () => {
    const fake = await fakeDiscord();
    const child: ChildProcess = spawn("npm", ["start"], { cwd: ROOT, env: env(fake) });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    await expect.poll(() => output.includes('"msg":"ready"'), { timeout: 60_000, interval: 200 }).toBe(true);
    // npm's child is the bot itself (the script execs node): the process that must stop.
    const { stdout: children } = await run("pgrep", ["-P", String(child.pid)]);
    const botPid = Number(children.trim().split("\n")[0]);
    expect(botPid).toBeGreaterThan(0);
    const { stdout: command } = await run("ps", ["-o", "args=", "-p", String(botPid)]);
    expect(command).toContain("dist/src/main.js");
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
    await expect.poll(() => output.includes('"msg":"stopped"'), { timeout: 10_000 }).toBe(true);
    const alive = () => {
      try {
        process.kill(botPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(alive, { timeout: 10_000 }).toBe(false);
  }, 90_000);
});

describe("ports are checked before logging in", () => {
  it("a metrics port in use stops the start before any request to Discord, naming the variables", async () => {
    const fake = await fakeDiscord();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => {
      taken.close();
    });
    const port = (taken.address() as AddressInfo).port;
    const result = await run(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: env(fake, { METRICS_PORT: String(port), METRICS_HOST: "127.0.0.1" }),
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port} for metrics`);
    expect(result.stderr).toContain("check METRICS_PORT and METRICS_HOST");
    expect(fake.requests).toEqual([]);
  });
});

describe("the bot process", () => {
  it("SIGTERM finishes what is in flight, closes cleanly and exits 0", async () => {
    const fake = await fakeDiscord();
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: env(fake),
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    await expect.poll(() => output.includes('"msg":"ready"'), { timeout: 15_000 }).toBe(true);
    const { id } = fake.chatInput("term", { name: "moe" });
    await fake.callbackFor(id);
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    expect(output).not.toContain(TEST_TOKEN);
    // A clean stop is no fault: no "disconnected; reconnecting" warning.
    expect(output).not.toContain("gateway disconnected; reconnecting");
  });
});
