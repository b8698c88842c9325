/**
 * Scripted failures: "the next N requests matching X get answer Y (or no answer at all)".
 * Defaults mirror what Discord really sends, because @discordjs/rest reacts to headers, not bodies:
 * a 429 without Retry-After is retried at once, forever.
 */
import { randomBytes } from "node:crypto";

export interface RequestMatcher {
  /** Case-insensitive. Any method when omitted. */
  method?: string;
  /** A string must equal the decoded path without `/api/v10` and query; a RegExp is tested against it. */
  path?: string | RegExp;
}

export interface FaultSpec extends RequestMatcher {
  /** Required unless `hang` is set. */
  status?: number;
  /** Merged over the defaults for the status (e.g. the rate-limit headers of a 429). */
  headers?: Record<string, string>;
  /** Replaces the default JSON body for the status. */
  body?: unknown;
  /** How many matching requests get this answer. Default 1. */
  times?: number;
  /** Never answer; the socket is destroyed when the fake stops. */
  hang?: boolean;
  /** 429 only: seconds to wait, sent as Retry-After. Default 0.1 so tests stay fast. */
  retryAfter?: number;
  /** 429 only: a global rate limit (sets X-RateLimit-Global, which @discordjs/rest checks by presence). */
  global?: boolean;
}

export type FaultAnswer =
  | { kind: "hang" }
  | { kind: "respond"; status: number; headers: Record<string, string>; body: unknown };

export function matchesRequest(matcher: RequestMatcher, method: string, path: string): boolean {
  if (matcher.method && matcher.method.toUpperCase() !== method.toUpperCase()) return false;
  if (matcher.path === undefined) return true;
  return typeof matcher.path === "string" ? matcher.path === path : matcher.path.test(path);
}

export class FaultInjector {
  private readonly rules: Array<{ spec: FaultSpec; remaining: number }> = [];

  add(spec: FaultSpec): void {
    if (!spec.hang && spec.status === undefined) throw new Error("FakeDiscord.failNext: give a status or hang: true");
    this.rules.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  get pending(): number {
    return this.rules.reduce((total, rule) => total + rule.remaining, 0);
  }

  /** The answer for this request if a rule matches (using up one of its `times`), else null. */
  take(method: string, path: string): FaultAnswer | null {
    const index = this.rules.findIndex((rule) => matchesRequest(rule.spec, method, path));
    const rule = this.rules[index];
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    if (rule.spec.hang) return { kind: "hang" };
    const status = rule.spec.status ?? 500;
    const defaults = defaultFault(status, rule.spec);
    return {
      kind: "respond",
      status,
      headers: { ...defaults.headers, ...rule.spec.headers },
      body: rule.spec.body ?? defaults.body,
    };
  }
}

function defaultFault(status: number, spec: FaultSpec): { headers: Record<string, string>; body: unknown } {
  switch (status) {
    case 429:
      return rateLimited(spec);
    case 400:
      return { headers: {}, body: { message: "Invalid Form Body", code: 50035, errors: {} } };
    case 401:
      return { headers: {}, body: { message: "401: Unauthorized", code: 0 } };
    case 403:
      return { headers: {}, body: { message: "Missing Permissions", code: 50013 } };
    case 404:
      return { headers: {}, body: { message: "Unknown Channel", code: 10003 } };
    default:
      return {
        headers: {},
        body: { message: `${status}: ${status >= 500 ? "Internal Server Error" : "Error"}`, code: 0 },
      };
  }
}

function rateLimited(spec: FaultSpec): { headers: Record<string, string>; body: unknown } {
  const retryAfter = spec.retryAfter ?? Number(spec.headers?.["Retry-After"] ?? 0.1);
  const headers: Record<string, string> = {
    "Retry-After": String(retryAfter),
    "X-RateLimit-Limit": "5",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
    "X-RateLimit-Reset-After": String(retryAfter),
    "X-RateLimit-Bucket": randomBytes(16).toString("hex"),
    "X-RateLimit-Scope": spec.global ? "global" : "user",
  };
  if (spec.global) headers["X-RateLimit-Global"] = "true";
  return {
    headers,
    body: { message: "You are being rate limited.", retry_after: retryAfter, global: spec.global ?? false },
  };
}
