import type { FakeDiscord } from "../fake-discord/index.ts";
import { ids } from "../fake-discord/index.ts";
import { callbackData, TEST_TOKEN } from "./bot-harness.ts";

/** A clock that reads `iso` now and then runs at real speed, so timers fire for real. */
export function clockAt(iso: string) {
  const offset = Date.parse(iso) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/**
 * A clock that stands at `iso` until `start()`, then runs: a slow start-up on a loaded machine must
 * not eat the seconds before a due time.
 */
export function clockStandingAt(iso: string) {
  let offset: number | null = null;
  return {
    now: () => (offset === null ? new Date(iso) : new Date(Date.now() + offset)),
    start: () => {
      offset = Date.parse(iso) - Date.now();
    },
  };
}

/** Retries quick enough for a test. */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 50 };

/** The digests the fake holds in a channel. */
export function digestMessages(fake: FakeDiscord, channelId: string = ids.textChannel) {
  return fake.messagesIn(channelId).filter((message) => message.content.startsWith("**Daily digest**"));
}

/** What `/digest status` tells the admin. */
export async function digestStatus(fake: FakeDiscord): Promise<string> {
  const status = await callbackData(fake, fake.chatInput("digest", {}, { userId: ids.admin, subcommand: "status" }).id);
  return String(status.data?.content);
}

/** A message as the bot posted it in an earlier run (same token, so the bot is its author). */
export async function postAsBot(fake: FakeDiscord, content: string, nonce: string): Promise<{ id: string }> {
  const response = await fetch(`${fake.apiBase}/v10/channels/${ids.textChannel}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bot ${TEST_TOKEN}` },
    body: JSON.stringify({ content, nonce, enforce_nonce: true }),
  });
  return (await response.json()) as { id: string };
}
