/**
 * An append-only list that can be awaited: `waitFor` resolves with the first entry, past or future,
 * that matches, so a test never races the bot. On timeout the error lists recent entries, which is
 * usually all one needs to see why the expected request or frame never came.
 */

interface Waiter<T> {
  predicate: (entry: T) => boolean;
  resolve: (entry: T) => void;
  reject: (error: Error) => void;
}

export class RecordingLog<T> {
  readonly entries: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  constructor(
    private readonly kind: string,
    private readonly describe: (entry: T) => string,
  ) {}

  push(entry: T): void {
    this.entries.push(entry);
    for (const waiter of this.waiters) {
      if (waiter.predicate(entry)) {
        this.waiters.delete(waiter);
        waiter.resolve(entry);
      }
    }
  }

  waitFor(predicate: (entry: T) => boolean, timeoutMs: number, what = "a matching entry"): Promise<T> {
    const existing = this.entries.find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`FakeDiscord: timed out after ${timeoutMs} ms waiting for ${what}.\n${this.summary()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Fails every pending wait at once, so nothing keeps waiting on a fake that has stopped. */
  rejectPending(reason: string): void {
    for (const waiter of this.waiters) waiter.reject(new Error(`FakeDiscord: ${reason}`));
    this.waiters.clear();
  }

  summary(last = 15): string {
    if (this.entries.length === 0) return `No ${this.kind} recorded.`;
    const recent = this.entries.slice(-last);
    const skipped = this.entries.length - recent.length;
    return [
      `Last ${recent.length} of ${this.entries.length} ${this.kind}:`,
      ...recent.map((entry) => `  ${this.describe(entry)}`),
      ...(skipped > 0 ? [`  (${skipped} earlier not shown)`] : []),
    ].join("\n");
  }
}
