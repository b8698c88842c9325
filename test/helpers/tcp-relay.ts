import type { AddressInfo } from "node:net";
import { connect, createServer, type Server, type Socket } from "node:net";
import { onTestFinished } from "vitest";

export interface TcpRelay {
  port: number;
  /** Stop passing bytes either way, connections left open: a server stopped, not killed. */
  pause(): void;
  resume(): void;
}

/** A TCP relay on 127.0.0.1 in front of a real server, which can go silent on demand. */
export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  let paused = false;
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((incoming) => {
    const outgoing = connect({ host: "127.0.0.1", port: targetPort });
    const pair: [Socket, Socket] = [incoming, outgoing];
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on("data", (chunk) => {
        if (!paused) to.write(chunk);
      });
    forward(incoming, outgoing);
    forward(outgoing, incoming);
    const close = () => {
      pairs.delete(pair);
      incoming.destroy();
      outgoing.destroy();
    };
    incoming.on("close", close).on("error", close);
    outgoing.on("close", close).on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(async () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    port: (server.address() as AddressInfo).port,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
  };
}
