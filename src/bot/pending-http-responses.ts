/** The body of an interaction callback, as it would be POSTed to /interactions/{id}/{token}/callback. */
export type CallbackBody = { type: number; data?: unknown };

/**
 * Interactions that arrived over HTTP and are waiting for their first answer: Discord expects that
 * answer in the HTTP response itself, not as a REST callback. The responder takes the writer for an
 * interaction the first time it answers it; everything after (edits, follow-ups) goes through REST.
 */
export class PendingHttpResponses {
  private readonly waiting = new Map<string, (body: CallbackBody) => Promise<void>>();

  open(interactionId: string, write: (body: CallbackBody) => Promise<void>): void {
    this.waiting.set(interactionId, write);
  }

  /** The writer for the interaction's HTTP response, once; undefined when it came by the gateway or was answered. */
  take(interactionId: string): ((body: CallbackBody) => Promise<void>) | undefined {
    const write = this.waiting.get(interactionId);
    this.waiting.delete(interactionId);
    return write;
  }

  /** Gives up on an interaction nothing answered; true when it was still waiting. */
  close(interactionId: string): boolean {
    return this.waiting.delete(interactionId);
  }

  get size(): number {
    return this.waiting.size;
  }
}
