import { createHash, randomBytes } from "node:crypto";
import type { Knowledge } from "../answers/types.ts";
import type { FeedbackTarget } from "../payloads/feedback.ts";
import type { GapQueries } from "../store/gaps.ts";
import type { BotMetrics } from "./metrics.ts";

/** The version of the content an answer came from: the synced commit, else the content's date. */
export function contentVersion(knowledge: Knowledge): string {
  return knowledge.synced?.commit.slice(0, 12) ?? knowledge.kb.contentDate ?? "unknown";
}

/** "**Asked:** can I …" on an answer: the question, when the server keeps question text. */
export function askedIn(content: string | null | undefined): string | null {
  const match = /\*\*Asked:\*\* (.+)/.exec(content ?? "");
  return match ? match[1]!.replace(/\\([\\`*_~|>#-])/g, "$1").slice(0, 500) : null;
}

/**
 * Records gaps and votes: by server, never by person. A vote carries a salted hash of the voter
 * (one vote per person and answer), text only where the server opted in.
 */
export class GapRecorder {
  private salt: Promise<string> | null = null;

  constructor(
    private readonly gaps: GapQueries,
    private readonly metrics?: BotMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  async recordGap(
    knowledge: Knowledge,
    guildId: string | null,
    gap: { kind: string; missing: string; question: string | null },
  ): Promise<void> {
    this.metrics?.unanswered(gap.kind);
    const server = guildId ?? "";
    const keep = server ? (await this.gaps.settings(server)).keepText : false;
    await this.gaps.record({
      guildId: server,
      kind: gap.kind,
      missing: gap.missing.slice(0, 200),
      question: keep ? gap.question : null,
      contentVersion: contentVersion(knowledge),
      at: this.now(),
    });
  }

  /** False when this person already marked this answer. */
  async recordVote(
    knowledge: Knowledge,
    vote: FeedbackTarget & {
      guildId: string | null;
      messageId: string;
      userId: string;
      reason: string | null;
      question: string | null;
    },
  ): Promise<boolean> {
    const server = vote.guildId ?? "";
    const keep = server ? (await this.gaps.settings(server)).keepText : false;
    const recorded = await this.gaps.recordFeedback({
      guildId: server,
      messageId: vote.messageId,
      voter: createHash("sha256")
        .update(`${await this.saltOnce()}:${vote.userId}`)
        .digest("hex"),
      answerKind: vote.answerKind,
      entry: vote.entry,
      reason: keep ? vote.reason?.trim().slice(0, 200) || null : null,
      question: keep ? vote.question : null,
      contentVersion: contentVersion(knowledge),
      at: this.now(),
    });
    if (recorded) this.metrics?.markedWrong(vote.answerKind);
    return recorded;
  }

  /** Text older than each server's retention goes; counts stay. */
  purge(): Promise<number> {
    return this.gaps.purgeText(this.now());
  }

  private saltOnce(): Promise<string> {
    this.salt ??= this.gaps.salt(randomBytes(32).toString("hex")).catch((error) => {
      this.salt = null;
      throw error;
    });
    return this.salt;
  }
}
