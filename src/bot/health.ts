import type { ServerResponse } from "node:http";

/** One thing `GET /healthz` checks, and what it found. */
export interface HealthCheck {
  name: string;
  ok: boolean;
  /** Working, but not as configured (the bundled content standing in for the site): still 200. */
  degraded?: boolean;
  detail?: string;
}

export type HealthProbe = () => Promise<HealthCheck[]>;

/**
 * Answers `GET /healthz`: 200 when every check passes ("degraded" when one works but not as
 * configured), 503 naming the failing ones otherwise.
 */
export function writeHealth(response: ServerResponse, probe: HealthProbe): void {
  probe().then(
    (checks) => {
      const ok = checks.every((check) => check.ok);
      const status = !ok ? "failing" : checks.some((check) => check.degraded) ? "degraded" : "ok";
      response
        .writeHead(ok ? 200 : 503, { "content-type": "application/json" })
        .end(`${JSON.stringify({ status, checks })}\n`);
    },
    (error) =>
      response
        .writeHead(503, { "content-type": "application/json" })
        .end(
          `${JSON.stringify({ status: "failing", error: error instanceof Error ? error.message : String(error) })}\n`,
        ),
  );
}
