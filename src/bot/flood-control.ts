import type { PostedCopy, Store } from "../store/types.ts";
import { withinBudget } from "./time-budget.ts";

export type { PostedCopy } from "../store/types.ts";

/**
 * Two guards for a busy channel: the same answer asked for again within a short window is not
 * posted again (the asker is pointed at the copy already there), and one person firing commands
 * faster than a person reads is asked to slow down.
 */
export interface FloodControlOptions {
  repeatWindowMs: number;
  userBurst: number;
  userWindowMs: number;
  now?: () => number;
  /** Where repeated answers are remembered when several instances answer one server: the shared store. */
  shared?: SharedAnswerClaims;
}

/** The store's part in holding back repeated answers across instances. */
export type SharedAnswerClaims = Pick<Store, "claimAnswer" | "settleAnswer" | "releaseAnswer" | "forgetAnswersBefore">;

/** Either the channel is ours to answer in (settle it with what was sent), or a copy is already there. */
export type AnswerClaim =
  | { status: "claimed"; settle: (copy: PostedCopy | undefined) => void }
  | ({ status: "posted" } & PostedCopy);

export interface PostedAnswer {
  /** Settles once the first copy is sent: where it went, or undefined when sending failed. */
  message: Promise<PostedCopy | undefined>;
  at: number;
}

/** The most a shared claim may take: Discord wants an answer within 3 s of the interaction. */
export const SHARED_CLAIM_BUDGET_MS = 750;

/** How long a repeated ask waits for the first copy to be sent before saying "just above". */
const LINK_WAITS = 10;
const LINK_WAIT_MS = 50;

export class FloodControl {
  private readonly posted = new Map<string, PostedAnswer>();
  private readonly recentByUser = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: FloodControlOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Takes the channel for an answer, or returns the copy already posted (its message id; null when
   * not known, as while another instance is still sending it). With a shared store the database
   * decides between instances; a store that cannot answer does not stop the answer.
   */
  async takeAnswer(channelId: string, key: string): Promise<AnswerClaim> {
    const { shared } = this.options;
    if (shared) {
      // A store that fails, or does not answer within its budget, does not hold the answer back.
      const claim = () =>
        withinBudget(
          shared
            .claimAnswer(channelId, key, this.now(), this.options.repeatWindowMs)
            .catch(() => ({ status: "claimed" as const })),
          SHARED_CLAIM_BUDGET_MS,
          () => ({ status: "claimed" as const }),
        );
      let result = await claim();
      // The first copy is still on its way (from another instance, maybe): wait a moment for where it went.
      const unsettled = (copy: typeof result) =>
        copy.status === "posted" && copy.messageId === null && copy.interactionToken === null;
      for (let wait = 0; unsettled(result) && wait < LINK_WAITS; wait++) {
        await new Promise((resolve) => setTimeout(resolve, LINK_WAIT_MS));
        result = await claim();
      }
      if (result.status === "posted") return result;
      return {
        status: "claimed",
        settle: (copy) => {
          const settled =
            copy === undefined ? shared.releaseAnswer(channelId, key) : shared.settleAnswer(channelId, key, copy);
          void settled.catch(() => undefined);
        },
      };
    }
    const recent = this.recentAnswer(channelId, key);
    const copy = recent ? await recent.message : undefined;
    if (copy !== undefined) return { status: "posted", ...copy };
    return { status: "claimed", settle: this.claimAnswer(channelId, key) };
  }

  /** The copy of this answer already posted in the channel within the window, if any. */
  recentAnswer(channelId: string, key: string): PostedAnswer | null {
    const entry = this.posted.get(`${channelId}|${key}`);
    if (!entry || this.now() - entry.at > this.options.repeatWindowMs) return null;
    return entry;
  }

  /**
   * Claims the channel for this answer before it is sent, so a second ask arriving while the first
   * is still on its way is held back too. Settle with where the copy went, or undefined when
   * sending failed (the claim is then dropped and the next ask posts normally).
   */
  claimAnswer(channelId: string, key: string): (copy: PostedCopy | undefined) => void {
    const slot = `${channelId}|${key}`;
    let settle: (copy: PostedCopy | undefined) => void = () => {};
    const entry: PostedAnswer = { message: new Promise((resolve) => (settle = resolve)), at: this.now() };
    this.posted.set(slot, entry);
    if (this.posted.size > 10_000) this.sweep();
    return (copy) => {
      if (copy === undefined && this.posted.get(slot) === entry) this.posted.delete(slot);
      settle(copy);
    };
  }

  /** Records one command by the user; false when they are over their burst. */
  allowUser(userId: string): boolean {
    const now = this.now();
    const recent = (this.recentByUser.get(userId) ?? []).filter((at) => now - at < this.options.userWindowMs);
    if (recent.length >= this.options.userBurst) {
      this.recentByUser.set(userId, recent);
      return false;
    }
    recent.push(now);
    this.recentByUser.set(userId, recent);
    return true;
  }

  /** Forgets what no longer matters, so memory stays flat on a long-running bot. */
  sweep(): void {
    const now = this.now();
    void this.options.shared?.forgetAnswersBefore(now - this.options.repeatWindowMs).catch(() => undefined);
    for (const [key, entry] of this.posted) if (now - entry.at > this.options.repeatWindowMs) this.posted.delete(key);
    for (const [user, times] of this.recentByUser) {
      if (times.every((at) => now - at >= this.options.userWindowMs)) this.recentByUser.delete(user);
    }
  }
}
