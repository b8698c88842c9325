import type { ReplyPayload } from "../payloads/reply.ts";

// What the digest and the weekly gaps report need from outside: a clock, a log, and a channel to
// post in and read back. The bot runtime provides them; tests pass their own.

export interface Clock {
  now(): Date;
}

export interface PostingLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export type SendMessage = (
  channelId: string,
  payload: ReplyPayload & { nonce: string; enforce_nonce: true },
) => Promise<{ id: string }>;

/** The channel's recent messages by anyone: their id, author and text. */
export type ReadRecent = (channelId: string) => Promise<{ id: string; authorId: string; content: string }[]>;
