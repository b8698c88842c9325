import type { ServerResponse } from "node:http";

/** One thing `GET /healthz` checks, and what it found. */
export interface HealthCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export type HealthProbe = () => Promise<HealthCheck[]>;

/** Answers `GET /healthz`: 200 when every check passes, 503 naming the failing ones otherwise. */
export function writeHealth(response: ServerResponse, probe: HealthProbe): void {
  probe().then(
    (checks) => {
      const ok = checks.every((check) => check.ok);
      response
        .writeHead(ok ? 200 : 503, { "content-type": "application/json" })
        .end(`${JSON.stringify({ status: ok ? "ok" : "failing", checks })}\n`);
    },
    (error) =>
      response
        .writeHead(503, { "content-type": "application/json" })
        .end(
          `${JSON.stringify({ status: "failing", error: error instanceof Error ? error.message : String(error) })}\n`,
        ),
  );
}
