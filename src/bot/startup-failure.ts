/** The gateway connected but never said READY in time. */
export class GatewaySilentError extends Error {
  override readonly name = "GatewaySilentError";
  constructor(readonly waitedMs: number) {
    super(`no READY from the gateway within ${waitedMs} ms`);
  }
}

/** A port the bot was told to serve on could not be opened; the message names the variables. */
export class ListenError extends Error {
  override readonly name = "ListenError";
}

const NETWORK_HINT: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "the host name could not be resolved (no network or DNS)",
  EAI_AGAIN: "the host name could not be resolved right now (DNS not answering)",
  ETIMEDOUT: "the connection timed out",
  ENETUNREACH: "the network is unreachable",
  EHOSTUNREACH: "the host is unreachable",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection broke",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
};

/**
 * One line saying what a start-up (or deploy) step tried, the likely cause and the variable to
 * check: "cannot reach Discord's API (discord.com): the host name could not be resolved (no network
 * or DNS); check the network, or set DISCORD_API_BASE if you route through a proxy".
 */
export function describeStartupFailure(error: unknown, apiBase: string | undefined): string {
  if (error instanceof ListenError) return error.message;
  const target = apiBase ? `the API at ${apiBase} (DISCORD_API_BASE)` : "Discord's API (discord.com)";
  const fix = apiBase
    ? "check DISCORD_API_BASE and that the server there is running"
    : "check the machine's network and DNS, or set DISCORD_API_BASE if you route through a proxy";
  if (error instanceof GatewaySilentError) {
    return `logged in to ${target}, but its gateway sent no READY within ${Math.round(error.waitedMs / 1000)} s: the gateway is not answering; ${fix}, or try again later.`;
  }
  const code = errorCode(error);
  if (code && NETWORK_HINT[code]) return `cannot reach ${target}: ${NETWORK_HINT[code]}; ${fix}.`;
  const status = httpStatus(error);
  if (status === 401 || code === "TokenInvalid") {
    return `${target} refused the bot token (401 Unauthorized): DISCORD_TOKEN is wrong or was reset; copy a new one from the developer portal (Bot > Reset Token).`;
  }
  if (status === 404) {
    return `${target} answered 404 Not Found: ${apiBase ? "DISCORD_API_BASE looks wrong; it must end in /api, like http://127.0.0.1:8080/api" : "the API address is wrong"}.`;
  }
  if (status !== null && status >= 500) {
    return `${target} failed with ${status}: Discord may be having an outage; try again later (see discordstatus.com).`;
  }
  if (status === 400) {
    return `${target} rejected the request (400: ${messageOf(error).split("\n").join("; ")}); this is a bug in Stackbot or an API it does not support, please report it.`;
  }
  if (status !== null) return `${target} answered ${status} (${messageOf(error)}); ${fix}.`;
  // Neither a network error nor an HTTP answer: the API is not to blame, so it is not named.
  return `Stackbot failed while starting, before or apart from any answer from Discord: ${messageOf(error)}. This is not a network or API problem; check the configuration in .env, and report it if it persists.`;
}

/** The first error code along the `cause` chain: fetch wraps the socket's ECONNREFUSED. */
function errorCode(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const errors = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors[0]) {
      const inner = errorCode(errors[0]);
      if (inner) return inner;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function httpStatus(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
