import { type ChildProcess, spawn } from "node:child_process";
import { onTestFinished } from "vitest";
import { freePort } from "./free-port.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

export interface BotProcess {
  port: number;
  child: ChildProcess;
  /** stdout and stderr so far (pino's JSON lines and any start-up message). */
  output: () => string;
  /** Lines the bot logged, parsed. */
  logLines: () => Record<string, unknown>[];
  kill: (signal: NodeJS.Signals) => Promise<void>;
}

/**
 * The bot as `npm start` runs it (src/main.ts, configured only through the environment), answering
 * interactions over HTTP on its own port; resolved once its GET /healthz says ok. Killed after the test.
 */
export async function startBotProcess(env: Record<string, string>, port?: number): Promise<BotProcess> {
  const listenOn = port ?? (await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      LOG_LEVEL: "info",
      INTERACTIONS_PORT: String(listenOn),
      INTERACTIONS_HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  onTestFinished(() => kill("SIGKILL"));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the bot did not become healthy in 30 s:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${listenOn}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port: listenOn,
    child,
    output: () => output,
    logLines: () =>
      output
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    kill,
  };
}
