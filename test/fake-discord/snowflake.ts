/**
 * Discord snowflakes: 64-bit ids whose top 42 bits are milliseconds since the Discord epoch.
 * Real-looking ids matter because @discordjs/rest only recognises 17-19 digit ids as major
 * parameters when it builds rate-limit buckets, and discord.js derives `createdAt` from them.
 */

export const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** Worker/process bits are fixed: the fake is one "worker", which keeps ids easy to eyeball. */
const WORKER_AND_PROCESS_BITS = 1n << 17n;

export function snowflakeAt(timestampMs: number, increment = 0): string {
  const sinceEpoch = BigInt(timestampMs) - DISCORD_EPOCH_MS;
  return ((sinceEpoch << 22n) | WORKER_AND_PROCESS_BITS | BigInt(increment & 0xfff)).toString();
}

export function timestampOfSnowflake(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

let lastTimestampMs = 0;
let increment = 0;

/** A fresh id for "now"; strictly increasing within the process, like ids from one Discord worker. */
export function nextSnowflake(): string {
  const now = Date.now();
  if (now > lastTimestampMs) {
    lastTimestampMs = now;
    increment = 0;
  } else {
    increment += 1;
    if (increment > 0xfff) {
      // 4096 ids in one millisecond: borrow the next millisecond rather than repeat an id.
      lastTimestampMs += 1;
      increment = 0;
    }
  }
  return snowflakeAt(lastTimestampMs, increment);
}
