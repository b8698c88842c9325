import type { Store } from "../store/types.ts";
import { MAX_SIGNATURE_AGE_SECONDS } from "./interaction-signature.ts";

/** Ids remembered in memory, newest kept: more than a busy instance answers in the replay window. */
const REMEMBERED = 20_000;

/**
 * Which interaction ids were answered already: in memory for this instance, and in the store for all
 * of them (one insert that conflicts on a repeat). Ids are forgotten once a replay of them would be
 * refused as stale by its signature timestamp anyway.
 */
export class SeenInteractions {
  private readonly recent = new Set<string>();

  constructor(
    private readonly store: Pick<Store, "markInteractionSeen" | "forgetInteractionsBefore">,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time an id is seen; false for a replay. */
  async firstSeen(interactionId: string): Promise<boolean> {
    if (this.recent.has(interactionId)) return false;
    this.recent.add(interactionId);
    if (this.recent.size > REMEMBERED) this.recent.delete(this.recent.values().next().value!);
    // A store that fails does not stop the answer: this instance's memory still refuses its own replays.
    return this.store.markInteractionSeen(interactionId, this.now()).catch(() => true);
  }

  sweep(): void {
    const cutoff = this.now() - 2 * MAX_SIGNATURE_AGE_SECONDS * 1000;
    void this.store.forgetInteractionsBefore(cutoff).catch(() => undefined);
  }
}
