import { randomBytes } from "node:crypto";
import type { ReadRecent } from "./ports.ts";

// The steps the daily digest and the weekly gaps report share to post once: a fresh nonce for a
// claim, and, after a claim an earlier run left unfinished, the bot's own message found in the channel.

/**
 * A nonce for Discord to enforce: the prefix and key make it readable in a log, the random part
 * keeps two claims of one day apart. Discord accepts at most 25 characters.
 */
export function freshNonce(prefix: string, key: string): string {
  return `${prefix}${key.replaceAll("-", "")}${randomBytes(6).toString("hex")}`;
}

export interface OwnMessageSearch {
  readRecent: ReadRecent;
  /** The bot's own user id; null when not known yet, and then any author's message counts. */
  botUserId: (() => string | null) | undefined;
}

/**
 * The bot's message in the channel that starts with `marker`, or null. Discord remembers a nonce for
 * minutes only, so after a longer outage the message itself is the proof it was posted. Throws when
 * the history cannot be read: the caller must then not post again.
 */
export async function findOwnMessage(
  search: OwnMessageSearch,
  channelId: string,
  marker: string,
): Promise<{ id: string } | null> {
  const me = search.botUserId?.() ?? null;
  const found = (await search.readRecent(channelId)).find(
    (message) => message.content.startsWith(marker) && (me === null || message.authorId === me),
  );
  return found ? { id: found.id } : null;
}
