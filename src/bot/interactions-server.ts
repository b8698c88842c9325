import type { KeyObject } from "node:crypto";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { InteractionResponseType, InteractionType } from "discord-api-types/v10";
import { type HealthProbe, writeHealth } from "./health.ts";
import { checkInteractionSignature } from "./interaction-signature.ts";
import type { Logger } from "./logger.ts";
import type { CallbackBody, PendingHttpResponses } from "./pending-http-responses.ts";
import { withinBudget } from "./time-budget.ts";

/** Discord's interaction payloads are a few kilobytes; resolved data can add some. Anything bigger is not Discord. */
export const MAX_INTERACTION_BYTES = 256 * 1024;
/** Discord waits 3 s for the answer; past this nothing we send can still count. */
const ANSWER_TIMEOUT_MS = 3_500;

/** Why a request to the endpoint was not answered with an interaction response. */
export type EndpointRefusal = "signature" | "stale" | "too-large" | "malformed" | "unanswered" | "replay";

export interface InteractionsServerOptions {
  port: number;
  host: string;
  publicKey: KeyObject;
  pending: PendingHttpResponses;
  /** Hands a verified interaction to the dispatcher; settles when the dispatcher is done with it. */
  receive: (interaction: Record<string, unknown>) => Promise<void>;
  health: HealthProbe;
  logger: Logger;
  /** Told of every refused request (the metrics count them). */
  refused?: (reason: EndpointRefusal) => void;
  /** False when this interaction id was answered before (on any instance): a replayed request. */
  firstSeen?: (interactionId: string) => Promise<boolean>;
  /** The clock the signature's timestamp is checked against (seconds); tests pass their own. */
  nowSeconds?: () => number;
}

/**
 * Discord's Interactions Endpoint: `POST /interactions`, verified, answered in the HTTP response by
 * the same dispatcher and responder as the gateway; plus `GET /healthz` for the load balancer.
 * Stateless, so any number of these can stand behind one URL.
 */
export async function startInteractionsServer(options: InteractionsServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    void route(request, response, options).catch((error) => {
      const errorId = randomBytes(4).toString("hex");
      options.logger.error({ err: error, errorId }, "interactions endpoint failed");
      if (!response.headersSent) sendJson(response, 500, { error: `internal error (id ${errorId})` });
    });
  });
  // A slow client must not hold a socket for ever; Discord sends the whole request at once.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}

async function route(request: IncomingMessage, response: ServerResponse, options: InteractionsServerOptions) {
  // Only the path matters; a full URL parse per request costs more than the rest of the routing.
  const path = (request.url ?? "/").split("?", 1)[0];
  if (path === "/healthz") {
    if (request.method !== "GET" && request.method !== "HEAD") return sendAllow(response, "GET, HEAD");
    return writeHealth(response, options.health);
  }
  if (path !== "/interactions") return sendJson(response, 404, { error: "try POST /interactions or GET /healthz" });
  if (request.method !== "POST") return sendAllow(response, "POST");

  const body = await readLimited(request, MAX_INTERACTION_BYTES);
  if (body === "incomplete") {
    // The client went away mid-body, or the server cut a slow one off (408): nothing to answer, nobody to tell.
    options.logger.warn({ path }, "interaction request ended before its body was complete");
    options.refused?.("malformed");
    return;
  }
  if (body === "too-large") {
    options.refused?.("too-large");
    return sendJson(response, 413, { error: `request body over ${MAX_INTERACTION_BYTES} bytes` });
  }
  const signature = await checkInteractionSignature(
    options.publicKey,
    {
      signature: header(request, "x-signature-ed25519"),
      timestamp: header(request, "x-signature-timestamp"),
    },
    body,
    options.nowSeconds?.(),
  );
  if (signature !== "valid") {
    // Discord probes the endpoint with bad signatures and expects exactly this.
    options.logger.warn({ reason: signature }, "interaction refused: signature not valid");
    options.refused?.(signature === "stale" ? "stale" : "signature");
    return sendJson(response, 401, { error: `invalid request signature (${signature})` });
  }
  let interaction: unknown;
  try {
    interaction = JSON.parse(body.toString("utf8"));
  } catch {
    options.refused?.("malformed");
    return sendJson(response, 400, { error: "the body is not valid JSON" });
  }
  if (typeof interaction !== "object" || interaction === null || Array.isArray(interaction)) {
    options.refused?.("malformed");
    return sendJson(response, 400, { error: "the body is not an interaction object" });
  }
  const data = interaction as Record<string, unknown>;
  if (data.type === InteractionType.Ping) return sendJson(response, 200, { type: InteractionResponseType.Pong });
  if (typeof data.id !== "string" || typeof data.token !== "string") {
    options.refused?.("malformed");
    return sendJson(response, 400, { error: "the interaction has no id or token" });
  }
  // A signed request sent again within the signature's five minutes is a replay: answered once only.
  if (options.firstSeen && !(await withinBudget(options.firstSeen(data.id), REPLAY_CHECK_BUDGET_MS, () => true))) {
    options.logger.warn({ interactionId: data.id }, "interaction refused: already answered (a replayed request)");
    options.refused?.("replay");
    return sendJson(response, 409, { error: "this interaction was already answered" });
  }
  await answer(data.id, data, response, options);
}

/** The replay check gives way to answering when the shared store is slow: a duplicate beats no answer. */
const REPLAY_CHECK_BUDGET_MS = 500;

/** Dispatches the interaction and writes whatever the responder answers first into the response. */
async function answer(
  interactionId: string,
  data: Record<string, unknown>,
  response: ServerResponse,
  options: InteractionsServerOptions,
): Promise<void> {
  let answered = false;
  options.pending.open(interactionId, (body: CallbackBody) => {
    answered = true;
    return new Promise<void>((resolve, reject) => {
      response.once("error", reject);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body), () => resolve());
    });
  });
  const timer = setTimeout(() => {
    if (options.pending.close(interactionId)) {
      options.logger.warn({ interactionId }, "interaction not answered within Discord's window");
      options.refused?.("unanswered");
      sendJson(response, 504, { error: "no answer in time" });
    }
  }, ANSWER_TIMEOUT_MS);
  timer.unref();
  try {
    await options.receive(data);
  } finally {
    clearTimeout(timer);
    // The dispatcher finished without answering: it is shutting down, or the type is one it ignores.
    if (!answered && options.pending.close(interactionId)) {
      options.refused?.("unanswered");
      sendJson(response, 503, { error: "the interaction was not answered" });
    }
  }
}

function readLimited(request: IncomingMessage, limit: number): Promise<Buffer | "too-large" | "incomplete"> {
  return new Promise((resolve) => {
    const declared = Number(request.headers["content-length"] ?? 0);
    if (declared > limit) {
      request.resume();
      resolve("too-large");
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners("data");
        request.resume();
        resolve("too-large");
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", () => resolve("incomplete"));
    request.on("close", () => {
      if (!request.complete) resolve("incomplete");
    });
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
}

function sendAllow(response: ServerResponse, allow: string): void {
  response
    .writeHead(405, { allow, "content-type": "application/json" })
    .end(`${JSON.stringify({ error: `use ${allow}` })}\n`);
}
