import { type Logger, pino } from "pino";

export type { Logger };

/**
 * Structured JSON logs. Anything that could carry the token is redacted by path, and the token
 * itself is never passed to a log call in the first place.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "stackbot" },
      redact: {
        paths: ["token", "*.token", "config.DISCORD_TOKEN", "headers.authorization", "*.headers.authorization"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
