/** Child side of the bench's IPC: answer the parent's commands, report results, die with the parent. */

export interface ChildMessage {
  type: "ready" | "result" | "reply" | "event";
  id?: number;
  data?: unknown;
  error?: string;
}

interface ParentMessage {
  id: number;
  cmd: string;
  payload: unknown;
}

export type Handler = (payload: unknown) => unknown;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      console.log(JSON.stringify(message.data ?? message, null, 2));
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

/** Children never outlive the bench: when the IPC channel closes, they exit. */
export function exitWithParent(): void {
  process.on("disconnect", () => process.exit(0));
}

export function sendReady(data: unknown = {}): Promise<void> {
  return send({ type: "ready", data });
}

/** The child's own CPU time and age, so the parent can tell what other jobs on the machine used. */
export function ownCpu(): { cpuMs: number; wallMs: number } {
  const usage = process.cpuUsage();
  return { cpuMs: (usage.user + usage.system) / 1000, wallMs: performance.now() };
}

export async function sendResultAndExit(data: unknown): Promise<never> {
  await send({ type: "result", data });
  process.exit(0);
}

/** Answers commands from the parent; a handler's return value (or thrown error) is the reply. */
export function serve(handlers: Record<string, Handler>): void {
  process.on("message", async (raw) => {
    const message = raw as ParentMessage;
    const handler = handlers[message.cmd];
    try {
      if (!handler) throw new Error(`unknown command "${message.cmd}"`);
      const data = await handler(message.payload);
      await send({ type: "reply", id: message.id, data });
      if (message.cmd === "stop") process.exit(0);
    } catch (error) {
      await send({ type: "reply", id: message.id, error: error instanceof Error ? error.stack : String(error) });
    }
  });
}

/** Reads `--name value` from argv. */
export function argValue(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`missing --${name}`);
    return fallback;
  }
  return value;
}
