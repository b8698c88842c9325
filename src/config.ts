import { config as loadDotenv } from "dotenv";
import { z } from "zod";

/**
 * A PostgreSQL URL, checked so that no message ever shows any part of it: the scheme, then the
 * password's characters that a URL cannot hold unencoded, then the URL as a whole.
 */
function checkDatabaseUrl(value: string, context: z.RefinementCtx): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
  if (!scheme || !/^postgres(?:ql)?$/i.test(scheme)) {
    context.addIssue({
      code: "custom",
      message: `must start with postgres:// or postgresql:// (it starts with ${scheme ? `${scheme}://` : "no scheme"})`,
    });
    return;
  }
  const rest = value.slice(scheme.length + 3);
  // userinfo ends at the last "@" before the host: more than one "@", or "#", "?" or "/" inside it,
  // means a password that needed percent-encoding.
  const at = rest.lastIndexOf("@");
  const userinfo = at >= 0 ? rest.slice(0, at) : "";
  if (/[@#?/]/.test(userinfo) || (at >= 0 && /[#?]/.test(rest.slice(0, rest.indexOf("@"))))) {
    context.addIssue({
      code: "custom",
      message:
        "has a user name or password with a character a URL cannot hold as it is: percent-encode it (@ as %40, # as %23, / as %2F, ? as %3F, : as %3A)",
    });
    return;
  }
  if (!URL.canParse(value)) context.addIssue({ code: "custom", message: "is not a valid URL" });
}

const snowflake = z.string().regex(/^\d{15,21}$/, "must be a Discord id (digits)");
const blankAsUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const contentSchema = z.object({
  CONTENT_DIR: z.preprocess(blankAsUndefined, z.string().optional()),
  CONTENT_SOURCE: z.preprocess(blankAsUndefined, z.string().optional()),
  CONTENT_SYNC_MINUTES: z.preprocess(blankAsUndefined, z.coerce.number().min(1).max(1440).default(60)),
  DATA_DIR: z.preprocess(blankAsUndefined, z.string().default("./data")),
  LOG_LEVEL: z.preprocess(
    blankAsUndefined,
    z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  ),
});

const botSchema = contentSchema.extend({
  DISCORD_TOKEN: z.preprocess(
    blankAsUndefined,
    z.string({ error: "is required" }).min(20, "does not look like a bot token"),
  ),
  DISCORD_APPLICATION_ID: z.preprocess(blankAsUndefined, snowflake.optional()),
  DISCORD_GUILD_ID: z.preprocess(blankAsUndefined, snowflake.optional()),
  // "http://127.0.0.1:8080/api/" means the same as without the slash; REST paths are joined to it.
  DISCORD_API_BASE: z.preprocess(
    blankAsUndefined,
    z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
  ),
  NEWS_FEED_URL: z.preprocess(blankAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  DIGEST_GRACE_HOURS: z.preprocess(blankAsUndefined, z.coerce.number().min(0).max(24).default(6)),
  METRICS_PORT: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  METRICS_HOST: z.preprocess(blankAsUndefined, z.string().default("127.0.0.1")),
  DATABASE_URL: z.preprocess(blankAsUndefined, z.string().superRefine(checkDatabaseUrl).optional()),
  GATEWAY: z.preprocess(blankAsUndefined, z.enum(["on", "off"]).default("on")),
  SHARDS: z.preprocess(
    blankAsUndefined,
    z.union([z.literal("auto"), z.coerce.number().int().min(1).max(1024)]).optional(),
  ),
  INTERACTIONS_PORT: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  INTERACTIONS_HOST: z.preprocess(blankAsUndefined, z.string().default("127.0.0.1")),
  DISCORD_PUBLIC_KEY: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters")
      .optional(),
  ),
  OWNER_IDS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .optional()
      .transform((value) =>
        (value ?? "")
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      )
      .pipe(z.array(snowflake)),
  ),
});

/** Settings that only make sense together, checked after each variable on its own. */
const botConfigSchema = botSchema.superRefine((config, context) => {
  if (config.INTERACTIONS_PORT && !config.DISCORD_PUBLIC_KEY) {
    context.addIssue({
      code: "custom",
      path: ["DISCORD_PUBLIC_KEY"],
      message: "is required with INTERACTIONS_PORT",
      params: { fix: `${HELP.DISCORD_PUBLIC_KEY}, or unset INTERACTIONS_PORT` },
    });
  }
  if (config.GATEWAY === "off" && !config.INTERACTIONS_PORT) {
    context.addIssue({
      code: "custom",
      path: ["INTERACTIONS_PORT"],
      message: "is required with GATEWAY=off",
      params: {
        fix: "a TCP port (1-65535) for POST /interactions (with DISCORD_PUBLIC_KEY), or set GATEWAY=on to answer over the gateway",
      },
    });
  }
  if (config.GATEWAY === "off" && config.SHARDS !== undefined) {
    context.addIssue({ code: "custom", path: ["SHARDS"], message: "has no effect with GATEWAY=off" });
  }
});

const identitySchema = z.object({
  DISCORD_TOKEN: z.preprocess(blankAsUndefined, z.string().optional()),
  DISCORD_APPLICATION_ID: z.preprocess(blankAsUndefined, snowflake.optional()),
});

/** Where `npm run db:migrate-to-postgres` copies from and to. */
const storeCopySchema = z.object({
  DATA_DIR: contentSchema.shape.DATA_DIR,
  DATABASE_URL: botSchema.shape.DATABASE_URL,
});

export type ContentConfig = z.infer<typeof contentSchema>;

/** Every variable the configuration reads: the README's table and `.env.example` list the same. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(botSchema.shape);
export type BotConfig = z.infer<typeof botSchema>;

/** How to fix each variable, shown when it is missing or wrong. */
const HELP: Record<string, string> = {
  DISCORD_TOKEN: "the bot token from https://discord.com/developers/applications > your app > Bot > Reset Token",
  DISCORD_APPLICATION_ID: "the Application ID from the developer portal's General Information page",
  DISCORD_GUILD_ID: "a server id (Developer Mode on, right-click the server > Copy Server ID)",
  DISCORD_API_BASE: "an http(s) URL such as http://127.0.0.1:8080/api, or leave it unset for Discord itself",
  OWNER_IDS: "comma-separated user ids (Developer Mode on, right-click a user > Copy User ID)",
  CONTENT_DIR: "a directory holding the content, or a checkout of the site",
  CONTENT_SOURCE: "a git repository of the site: its URL, a local path or a file:// URL",
  CONTENT_SYNC_MINUTES: "minutes between content syncs, 1 to 1440 (default 60)",
  DATA_DIR: "a writable directory for the bot's database (default ./data)",
  NEWS_FEED_URL: "the site's RSS feed, e.g. https://www.open-source-ai.tech/rss/news.xml, or leave it unset",
  DIGEST_GRACE_HOURS: "a number of hours between 0 and 24 (default 6)",
  LOG_LEVEL: "one of trace, debug, info, warn, error, fatal, silent",
  METRICS_PORT: "a TCP port (1-65535) for GET /metrics and GET /healthz, or leave it unset",
  METRICS_HOST: "the address the metrics server listens on (default 127.0.0.1; 0.0.0.0 for every interface)",
  DATABASE_URL:
    "a PostgreSQL URL such as postgres://stackbot:secret@127.0.0.1:5432/stackbot, or leave it unset for SQLite in DATA_DIR",
  GATEWAY: "on (default) or off: off answers over HTTP only (needs INTERACTIONS_PORT)",
  SHARDS: "auto, or a number of gateway shards (1-1024); leave it unset for one shard",
  INTERACTIONS_PORT: "a TCP port (1-65535) for POST /interactions (with DISCORD_PUBLIC_KEY), or leave it unset",
  INTERACTIONS_HOST:
    "the address the interactions server listens on (default 127.0.0.1; 0.0.0.0 behind a proxy elsewhere)",
  DISCORD_PUBLIC_KEY: "the Public Key from the developer portal's General Information page (64 hex characters)",
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function parse<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = String(issue.path[0]);
    // A rule about settings together names its own fix; one variable alone takes its usual help.
    const fix = (issue as { params?: { fix?: string } }).params?.fix ?? HELP[variable] ?? "a valid value";
    return `  ${variable} ${issue.message}: set it to ${fix}.`;
  });
  throw new ConfigError(`fix these in .env or the environment (see README, "Configuration"):\n${lines.join("\n")}`);
}

/**
 * Variables discord.js reads from the environment by itself: SHARDS (as JSON) and SHARD_COUNT. This
 * configuration owns SHARDS with its own meaning ("auto" or a count, passed to the client), so they
 * are taken out of the environment once read.
 */
const READ_BY_DISCORD_JS = ["SHARDS", "SHARD_COUNT"] as const;

let dotenvLoaded = false;
function environment(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env) return env;
  if (!dotenvLoaded) {
    loadDotenv({ quiet: true });
    dotenvLoaded = true;
    // A copied .env.example leaves "NAME=" lines: empty or blank is unset, for every reader.
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined && value.trim() === "") delete process.env[name];
    }
  }
  return process.env;
}

/** Reads the bot's settings from the process environment, then hides from discord.js what it would misread. */
export function readProcessBotConfig(): BotConfig {
  const config = readBotConfig();
  for (const name of READ_BY_DISCORD_JS) delete process.env[name];
  return config;
}

/** The settings the terminal tools need: no Discord credentials. */
export function readContentConfig(env?: NodeJS.ProcessEnv): ContentConfig {
  return parse(contentSchema, environment(env));
}

/** The application's identity, for the invite link: the id, or a token to read it from. */
export function readIdentityConfig(env?: NodeJS.ProcessEnv): z.infer<typeof identitySchema> {
  return parse(identitySchema, environment(env));
}

/** Every setting the bot needs; throws a ConfigError naming each bad variable and how to set it. */
export function readBotConfig(env?: NodeJS.ProcessEnv): BotConfig {
  return parse(botConfigSchema, environment(env));
}

/** The database the bot uses: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR. */
export function readStoreConfig(env?: NodeJS.ProcessEnv): { DATA_DIR: string; DATABASE_URL?: string | undefined } {
  return parse(storeCopySchema, environment(env));
}

/** The SQLite database to copy (DATA_DIR) and the PostgreSQL one to copy it into (DATABASE_URL, required). */
export function readStoreCopyConfig(env?: NodeJS.ProcessEnv): { DATA_DIR: string; DATABASE_URL: string } {
  const config = parse(storeCopySchema, environment(env));
  if (!config.DATABASE_URL) {
    throw new ConfigError(
      "DATABASE_URL is not set: set it (in .env or the environment) to the PostgreSQL database to copy into, " +
        "such as postgres://stackbot:secret@127.0.0.1:5432/stackbot.",
    );
  }
  return { DATA_DIR: config.DATA_DIR, DATABASE_URL: config.DATABASE_URL };
}

/**
 * Reads configuration for a command-line entry point: on a ConfigError it prints what cannot run
 * and the message (naming each variable and how to set it) and returns null, so the caller exits 1.
 */
export function configOrReport<T>(read: () => T, what = "Stackbot cannot start"): T | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${what}; ${error.message}`);
      return null;
    }
    throw error;
  }
}
