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
}

export interface PostedAnswer {
  /** Settles once the first copy is sent: its message id, null when unknown, undefined when sending failed. */
  message: Promise<string | null | undefined>;
  at: number;
}

export class FloodControl {
  private readonly posted = new Map<string, PostedAnswer>();
  private readonly recentByUser = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: FloodControlOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The copy of this answer already posted in the channel within the window, if any. */
  recentAnswer(channelId: string, key: string): PostedAnswer | null {
    const entry = this.posted.get(`${channelId}|${key}`);
    if (!entry || this.now() - entry.at > this.options.repeatWindowMs) return null;
    return entry;
  }

  /**
   * Claims the channel for this answer before it is sent, so a second ask arriving while the first
   * is still on its way is held back too. Settle with the posted message's id, or undefined when
   * sending failed (the claim is then dropped and the next ask posts normally).
   */
  claimAnswer(channelId: string, key: string): (messageId: string | null | undefined) => void {
    const slot = `${channelId}|${key}`;
    let settle: (messageId: string | null | undefined) => void = () => {};
    const entry: PostedAnswer = { message: new Promise((resolve) => (settle = resolve)), at: this.now() };
    this.posted.set(slot, entry);
    if (this.posted.size > 10_000) this.sweep();
    return (messageId) => {
      if (messageId === undefined && this.posted.get(slot) === entry) this.posted.delete(slot);
      settle(messageId);
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
    for (const [key, entry] of this.posted) if (now - entry.at > this.options.repeatWindowMs) this.posted.delete(key);
    for (const [user, times] of this.recentByUser) {
      if (times.every((at) => now - at >= this.options.userWindowMs)) this.recentByUser.delete(user);
    }
  }
}
