import { digestMarker } from "../payloads/render/digest.ts";
import { reply } from "../payloads/reply.ts";
import type { DigestSettings, Store } from "../store/store.ts";
import { findOwnMessage, freshNonce } from "./exactly-once.ts";
import type { DigestMessage } from "./message.ts";
import type { PostingLogger, ReadRecent, SendMessage } from "./ports.ts";

export type PostOutcome =
  | "sent"
  | "already-sent"
  | "found-posted"
  | "unverified"
  | "skipped"
  | "disabled"
  | "failed"
  | "no-digest"
  | "claimed-elsewhere";

export interface DigestPosterOptions {
  store: Store;
  send: SendMessage;
  /**
   * Reads the channel before a digest claimed by an earlier run is sent again: Discord remembers a
   * nonce for minutes only, so after a longer outage the message itself is the proof it was posted.
   */
  readRecent?: ReadRecent;
  /** The bot's own user id, to know its messages from others'. */
  botUserId?: () => string | null;
  logger: PostingLogger;
  retry: { attempts: number; baseDelayMs: number };
  /** How long another instance's claim on a day is trusted; 0 takes any claim over (one process). */
  claimLeaseMs: number;
}

/**
 * Posts one server's digest for one local date at most once, whatever happens: the day is claimed in
 * the database before sending, the message carries a nonce Discord enforces (a retry after a crash
 * returns the message already posted), a day an earlier run claimed is first looked for in the
 * channel, and the message is recorded with what it showed in one write.
 */
export class DigestPoster {
  private stopped = false;

  constructor(private readonly options: DigestPosterOptions) {}

  /** The bot is stopping: a send that failed is not tried again. */
  stop(): void {
    this.stopped = true;
  }

  async post(settings: DigestSettings, message: DigestMessage): Promise<PostOutcome> {
    const { store } = this.options;
    const { guildId, channelId } = settings;
    const date = message.localDate;
    const claim = await store.claimSlot(guildId, date, freshNonce("d", date), this.options.claimLeaseMs);
    if (claim.status === "sent") return "already-sent";
    if (claim.status === "skipped") return "skipped";
    if (claim.status === "in-progress") return "claimed-elsewhere";
    if (claim.status === "claimed-before") {
      const earlier = await this.findPosted(guildId, channelId, date);
      if (earlier !== "not-found") return earlier;
    }
    return this.send(settings, message, claim.nonce, claim.status === "claimed-before");
  }

  private async send(
    settings: DigestSettings,
    message: DigestMessage,
    nonce: string,
    retried: boolean,
  ): Promise<PostOutcome> {
    const { store, logger, retry } = this.options;
    const { guildId, channelId } = settings;
    const date = message.localDate;
    const payload = { ...reply(message.parts), nonce, enforce_nonce: true as const };
    for (let attempt = 1; ; attempt++) {
      try {
        const posted = await this.options.send(channelId, payload);
        await store.recordSent(guildId, date, posted.id, message.shown);
        logger.info({ guildId, localDate: date, messageId: posted.id, retried }, "digest posted");
        return "sent";
      } catch (error) {
        const status = statusOf(error);
        if (status === 403 || status === 404) {
          const reason =
            status === 403
              ? `I lost permission to post in <#${channelId}> (Discord said: ${messageOf(error)})`
              : `the channel <#${channelId}> no longer exists (Discord said: ${messageOf(error)})`;
          await store.disableDigestFrom(guildId, date, reason);
          logger.warn({ guildId, status, reason }, "digest disabled");
          return "disabled";
        }
        if (attempt >= retry.attempts || this.stopped) {
          await store.recordDigestError(guildId, `posting on ${date} failed: ${messageOf(error)}`);
          logger.error({ guildId, localDate: date, err: error, attempts: attempt }, "digest post failed");
          return "failed";
        }
        await delay(retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  /**
   * An earlier run claimed this day and may have posted before it stopped: look for the bot's own
   * digest for the date in the channel, and record it rather than post twice. When the history
   * cannot be read, nothing is posted and the admin is told why.
   */
  private async findPosted(
    guildId: string,
    channelId: string,
    date: string,
  ): Promise<"found-posted" | "unverified" | "not-found"> {
    const { store, logger, readRecent, botUserId } = this.options;
    if (!readRecent) return "not-found";
    try {
      const found = await findOwnMessage({ readRecent, botUserId }, channelId, digestMarker(date));
      if (!found) return "not-found";
      await store.markSent(guildId, date, found.id);
      logger.info({ guildId, localDate: date, messageId: found.id }, "digest found already posted; recorded it");
      return "found-posted";
    } catch (error) {
      const reason = `I could not check <#${channelId}>'s history for the ${date} digest (Discord said: ${messageOf(error)}), so I did not post it again; give me **Read Message History** there`;
      await store.recordDigestError(guildId, reason);
      logger.warn({ guildId, localDate: date, err: error }, "digest not re-sent: channel history unreadable");
      return "unverified";
    }
  }
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown })?.status;
  return typeof status === "number" ? status : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
