import { describe, expect, it } from "vitest";
import { ConfigError, readBotConfig } from "../src/config.ts";

const TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.fake-signature.fake-hmac-for-tests";
const KEY = "a".repeat(64);

function problem(env: NodeJS.ProcessEnv): string {
  try {
    readBotConfig({ DISCORD_TOKEN: TOKEN, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("scaling-out settings", () => {
  it("defaults to one gateway process on SQLite", () => {
    const config = readBotConfig({ DISCORD_TOKEN: TOKEN });
    expect(config).toMatchObject({ GATEWAY: "on", INTERACTIONS_HOST: "127.0.0.1" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SHARDS).toBeUndefined();
    expect(config.INTERACTIONS_PORT).toBeUndefined();
  });

  it("reads HTTP interactions, PostgreSQL and shards", () => {
    const config = readBotConfig({
      DISCORD_TOKEN: TOKEN,
      GATEWAY: "off",
      INTERACTIONS_PORT: "8080",
      DISCORD_PUBLIC_KEY: KEY,
      DATABASE_URL: "postgres://stackbot:secret@db.internal:5432/stackbot",
    });
    expect(config).toMatchObject({ GATEWAY: "off", INTERACTIONS_PORT: 8080, DISCORD_PUBLIC_KEY: KEY });
    expect(readBotConfig({ DISCORD_TOKEN: TOKEN, SHARDS: "auto" }).SHARDS).toBe("auto");
    expect(readBotConfig({ DISCORD_TOKEN: TOKEN, SHARDS: "4" }).SHARDS).toBe(4);
  });

  it("names what is missing or wrong, and how to set it", () => {
    expect(problem({ GATEWAY: "off" })).toMatch(/INTERACTIONS_PORT is required with GATEWAY=off/);
    expect(problem({ INTERACTIONS_PORT: "8080" })).toMatch(/DISCORD_PUBLIC_KEY is required with INTERACTIONS_PORT/);
    expect(problem({ INTERACTIONS_PORT: "8080", DISCORD_PUBLIC_KEY: "xyz" })).toMatch(
      /DISCORD_PUBLIC_KEY must be 64 hexadecimal characters: set it to the Public Key from the developer portal/,
    );
    expect(problem({ DATABASE_URL: "mysql://db/stackbot" })).toMatch(/DATABASE_URL .*: set it to a PostgreSQL URL/);
    expect(problem({ SHARDS: "many" })).toMatch(/SHARDS .*: set it to auto, or a number of gateway shards/);
    expect(problem({ GATEWAY: "off", INTERACTIONS_PORT: "8080", DISCORD_PUBLIC_KEY: KEY, SHARDS: "2" })).toMatch(
      /SHARDS has no effect with GATEWAY=off/,
    );
  });
});

describe("DATABASE_URL messages name the cause and the fix, and never any part of the password", () => {
  it("another scheme", () => {
    const message = problem({ DATABASE_URL: "mysql://stackbot:hunter2@127.0.0.1/stackbot" });
    expect(message).toContain("must start with postgres:// or postgresql:// (it starts with mysql://)");
    expect(message).not.toContain("hunter2");
  });

  it("a password with @ or # not percent-encoded", () => {
    for (const url of ["postgres://postgres:p@ss#1@127.0.0.1:5432/db", "postgres://postgres:pa@ss@127.0.0.1/db"]) {
      const message = problem({ DATABASE_URL: url });
      expect(message).toContain("percent-encode it (@ as %40, # as %23");
      expect(message).not.toMatch(/p@ss|pa@ss|ss#1|ss@127/);
    }
  });

  it("an encoded password is accepted", () => {
    expect(
      readBotConfig({ DISCORD_TOKEN: TOKEN, DATABASE_URL: "postgres://u:p%40ss%231@127.0.0.1:5432/db" }).DATABASE_URL,
    ).toBe("postgres://u:p%40ss%231@127.0.0.1:5432/db");
  });
});

describe("URLs as operators write them", () => {
  it("DISCORD_API_BASE with a trailing slash is the same base", () => {
    expect(
      readBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: "http://127.0.0.1:8080/api/" }).DISCORD_API_BASE,
    ).toBe("http://127.0.0.1:8080/api");
  });
});

describe("settings that go together name their own fix", () => {
  it("GATEWAY=off without a port says to set a port or the gateway back on, never to leave the port unset", () => {
    const message = problem({ GATEWAY: "off" });
    expect(message).toContain(
      "INTERACTIONS_PORT is required with GATEWAY=off: set it to a TCP port (1-65535) for POST /interactions (with DISCORD_PUBLIC_KEY), or set GATEWAY=on",
    );
    expect(message).not.toContain("leave it unset");
  });
});
