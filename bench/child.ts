/**
 * Parent side of the bench's child processes: fork a TypeScript entry with IPC, ask it things,
 * and make sure none outlives the run. Every child is tracked; `killAllChildren` ends them by pid.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage } from "./ipc.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const live = new Set<Child>();

export interface ChildOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Extra node flags (--expose-gc, --cpu-prof ...). */
  nodeFlags?: string[];
  /**
   * "tsx" (default): `script` is a TypeScript file relative to bench/, run through tsx. "none": `script`
   * is compiled JavaScript (an absolute path), run by plain node as `npm start` runs the bot.
   */
  loader?: "tsx" | "none";
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly inbox: ChildMessage[] = [];
  private readonly typeWaiters: { type: string; resolve: (message: ChildMessage) => void }[] = [];
  private stderrTail = "";
  private exitCode: number | null | undefined;

  constructor(
    readonly label: string,
    script: string,
    options: ChildOptions = {},
  ) {
    const compiled = options.loader === "none";
    this.process = fork(compiled ? script : fileURLToPath(new URL(script, import.meta.url)), options.args ?? [], {
      cwd: ROOT,
      execArgv: [...(compiled ? [] : ["--import", "tsx"]), ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
    });
    live.add(this);
    const keep = (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-4000);
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${label}] ${chunk.toString("utf8")}`);
    };
    this.process.stderr?.on("data", keep);
    this.process.stdout?.on("data", keep);
    this.process.on("message", (raw) => this.receive(raw as ChildMessage));
    this.exited = new Promise((resolve) => {
      this.process.once("exit", (code) => {
        this.exitCode = code;
        live.delete(this);
        const error = new Error(`${label} exited (code ${code}) before answering.\n${this.stderrTail}`);
        for (const pending of this.pending.values()) {
          clearTimeout(pending.timer);
          pending.reject(error);
        }
        this.pending.clear();
        resolve(code);
      });
    });
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /** Sends a command and resolves with the child's answer. */
  request<T>(cmd: string, payload: unknown = {}, timeoutMs = 120_000): Promise<T> {
    if (this.exitCode !== undefined) return Promise.reject(new Error(`${this.label} has exited.\n${this.stderrTail}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: no answer to "${cmd}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.process.send({ id, cmd, payload });
    });
  }

  /** The first message of this type the child sent on its own (ready, result). */
  waitFor<T>(type: string, timeoutMs = 120_000): Promise<T> {
    const index = this.inbox.findIndex((message) => message.type === type);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0]!.data as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.label}: no "${type}" within ${timeoutMs} ms.\n${this.stderrTail}`)),
        timeoutMs,
      );
      const waiter = {
        type,
        resolve: (message: ChildMessage) => {
          clearTimeout(timer);
          resolve(message.data as T);
        },
      };
      this.typeWaiters.push(waiter);
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.label} exited (code ${code}) before sending "${type}".\n${this.stderrTail}`));
      });
    });
  }

  /** Asks the child to stop (so profiles get written), then ends it by pid if it does not. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exitCode !== undefined) return;
    try {
      await this.request("stop", {}, graceMs);
    } catch {
      // It may exit before answering; that is the point.
    }
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.exitCode === undefined && this.process.pid !== undefined) {
      try {
        process.kill(this.process.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }

  private receive(message: ChildMessage): void {
    if (message.type === "reply" && message.id !== undefined) {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new Error(`${this.label}: ${message.error}`));
      else pending.resolve(message.data);
      return;
    }
    const waiterIndex = this.typeWaiters.findIndex((waiter) => waiter.type === message.type);
    if (waiterIndex >= 0) this.typeWaiters.splice(waiterIndex, 1)[0]!.resolve(message);
    else this.inbox.push(message);
  }
}

/** Runs a child that sends one `result` and exits. */
export async function runChild<T>(label: string, script: string, options: ChildOptions = {}, timeoutMs = 600_000) {
  const child = new Child(label, script, options);
  try {
    const result = await child.waitFor<T>("result", timeoutMs);
    await child.exited;
    return result;
  } finally {
    child.kill();
  }
}

/** Ends every child still running, each by its own pid. */
export function killAllChildren(): void {
  for (const child of live) child.kill();
}

export function liveChildren(): number {
  return live.size;
}
