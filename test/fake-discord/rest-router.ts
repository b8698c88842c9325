/** A tiny method + path-template router for the REST half (`/channels/:channelId/messages`). */
import type { FakeGateway } from "./gateway.ts";
import type { UploadedFile } from "./payloads.ts";
import { errors, RestError } from "./rest-errors.ts";
import type { World } from "./world.ts";

export interface RestRequest {
  method: string;
  /** Decoded, without `/api/v10` and without the query string. */
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
}

export interface RestResult {
  status: number;
  /** Omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** What route handlers may use; built once by the server. */
export interface RestContext {
  world: World;
  gateway: FakeGateway;
  nonceWindowMs: number;
  callbackDeadlineMs: number | undefined;
  gatewayUrl: () => string;
}

export type RouteHandler = (request: RestRequest, context: RestContext) => RestResult;

interface Route {
  method: string;
  segments: string[];
  /** Interaction callbacks and webhooks are authorised by their token, not the bot token. */
  needsBotToken: boolean;
  handler: RouteHandler;
}

export interface RouteMatch {
  handler: RouteHandler;
  params: Record<string, string>;
  needsBotToken: boolean;
}

export class RestRouter {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: RouteHandler, options: { needsBotToken?: boolean } = {}): this {
    this.routes.push({
      method,
      segments: template.split("/").filter(Boolean),
      needsBotToken: options.needsBotToken ?? true,
      handler,
    });
    return this;
  }

  /** Throws 404 for an unknown path and 405 for a known path with another method, like Discord. */
  match(method: string, path: string): RouteMatch {
    const segments = path.split("/").filter(Boolean);
    let pathKnown = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathKnown = true;
      if (route.method === method) return { handler: route.handler, params, needsBotToken: route.needsBotToken };
    }
    if (pathKnown) throw new RestError(405, { message: "405: Method Not Allowed", code: 0 });
    throw errors.notFound();
  }
}

function matchSegments(template: string[], actual: string[]): Record<string, string> | null {
  if (template.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const value = actual[index] ?? "";
    if (part.startsWith(":")) params[part.slice(1)] = value;
    else if (part !== value) return null;
  }
  return params;
}

export function json(status: number, body: unknown): RestResult {
  return { status, body };
}

export const noContent: RestResult = { status: 204 };
