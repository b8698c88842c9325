import { createServer, type Server } from "node:http";
import { type HealthProbe, writeHealth } from "./health.ts";
import type { BotMetrics } from "./metrics.ts";

export interface OperatorServerOptions {
  port: number;
  host: string;
  metrics: BotMetrics;
  health: HealthProbe;
}

/**
 * The operator's window on a running bot: `GET /metrics` in Prometheus's text format and
 * `GET /healthz`, 200 when every check passes and 503 naming the failing ones otherwise.
 */
export async function startOperatorServer({ port, host, metrics, health }: OperatorServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/metrics") {
      metrics.render().then(
        (text) => response.writeHead(200, { "content-type": metrics.contentType }).end(text),
        () => response.writeHead(500).end("metrics unavailable\n"),
      );
      return;
    }
    if (path === "/healthz") {
      writeHealth(response, health);
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" }).end("try /metrics or /healthz\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
