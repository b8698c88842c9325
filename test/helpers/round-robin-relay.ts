import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

export interface Relay {
  url: string;
  /** Requests each backend answered, by port. */
  served: Map<number, number>;
  server: Server;
}

/**
 * A load balancer as small as it gets: each request goes to the next backend in turn; one that
 * refuses the connection (killed) is skipped for the next, as a balancer's health check would.
 */
export async function startRoundRobinRelay(backends: () => number[]): Promise<Relay> {
  let next = 0;
  const served = new Map<number, number>();
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const ports = backends();
      const attempt = (tries: number) => {
        const port = ports[next++ % ports.length]!;
        const forwarded = request(
          { host: "127.0.0.1", port, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (answer) => {
            served.set(port, (served.get(port) ?? 0) + 1);
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forwarded.on("error", () => {
          if (tries + 1 < ports.length) attempt(tries + 1);
          else outgoing.writeHead(502).end("no backend answered");
        });
        forwarded.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, server };
}
