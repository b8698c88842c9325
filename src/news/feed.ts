import { type FeedIssue, parseNewsFeed } from "./parse-feed.ts";

export type { FeedIssue };

/** What is kept between restarts: the last good body and the validators that came with it. */
export interface FeedState {
  etag: string | null;
  lastModified: string | null;
  /** Epoch milliseconds of the last request, good or not. */
  fetchedAt: number;
  body: string;
}

/** Where the feed state lives between restarts (the store's feed_state table). */
export interface FeedStateStore {
  load(url: string): FeedState | null | Promise<FeedState | null>;
  save(url: string, state: FeedState): void | Promise<void>;
  /**
   * With several instances: claims the next request (true for one of them per interval); the others
   * read the copy it saves instead of asking the site themselves.
   */
  claimFetch?(url: string, now: number, minIntervalMs: number): Promise<boolean>;
}

export interface FeedLogger {
  warn(details: object, message: string): void;
}

export interface NewsFeedOptions {
  url: string;
  fetch?: typeof globalThis.fetch;
  /** Epoch milliseconds. */
  now?: () => number;
  minIntervalMs?: number;
  timeoutMs?: number;
  state?: FeedStateStore;
  logger?: FeedLogger;
}

interface GoodResponse {
  issue: FeedIssue;
  body: string;
  etag: string | null;
  lastModified: string | null;
}

const silentLogger: FeedLogger = { warn: () => {} };

/**
 * The newest daily issue from the site's RSS feed. Polite to the site (at most one request per
 * interval, conditional requests) and harmless to the bot: every failure is logged and answered with
 * the last good issue, or null when none is known; `latest()` never throws.
 */
export class NewsFeed {
  private readonly url: string;
  private readonly fetch: typeof globalThis.fetch;
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly state: FeedStateStore | undefined;
  private readonly logger: FeedLogger;

  private good: GoodResponse | null = null;
  private lastRequestAt: number | null = null;
  private stateLoaded = false;
  private pending: Promise<FeedIssue | null> | null = null;

  constructor(options: NewsFeedOptions) {
    this.url = options.url;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? 15 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.state = options.state;
    this.logger = options.logger ?? silentLogger;
  }

  async latest(): Promise<FeedIssue | null> {
    // Callers arriving during a request share it instead of starting their own.
    this.pending ??= this.refresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async refresh(): Promise<FeedIssue | null> {
    try {
      await this.loadSavedState();
      if (!this.intervalElapsed()) return this.good?.issue ?? null;
      this.lastRequestAt = this.now();
      if (this.state?.claimFetch && !(await this.state.claimFetch(this.url, this.lastRequestAt, this.minIntervalMs))) {
        this.stateLoaded = false;
        await this.loadSavedState();
        // Until the other instance's copy lands, keep looking in the store rather than wait an interval.
        if (!this.good) this.lastRequestAt = null;
        return this.good?.issue ?? null;
      }
      await this.request();
    } catch (error) {
      this.logger.warn({ url: this.url, error: describe(error) }, "news feed: unexpected failure");
    }
    return this.good?.issue ?? null;
  }

  private intervalElapsed(): boolean {
    if (this.lastRequestAt === null) return true;
    const elapsed = this.now() - this.lastRequestAt;
    // A clock set back makes the elapsed time negative; do not wait for it to catch up.
    return elapsed < 0 || elapsed >= this.minIntervalMs;
  }

  private async request(): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await this.fetch(this.url, { headers: this.requestHeaders(), signal: controller.signal });
      if (response.status === 304 && this.good) {
        await this.saveState();
        return;
      }
      if (!response.ok) {
        await response.body?.cancel();
        this.logger.warn({ url: this.url, status: response.status }, "news feed: request failed; keeping what we had");
        return;
      }
      // Still under the timeout: a server that sends headers and then stalls is cut off too.
      const body = await response.text();
      const parsed = parseNewsFeed(body, this.url);
      if (!parsed.ok) {
        this.logger.warn({ url: this.url, problem: parsed.problem }, "news feed: unusable feed; keeping what we had");
        return;
      }
      this.good = {
        issue: parsed.issue,
        body,
        etag: response.headers.get("etag"),
        lastModified: response.headers.get("last-modified"),
      };
      await this.saveState();
    } catch (error) {
      const reason = controller.signal.aborted ? `no answer within ${this.timeoutMs} ms` : describe(error);
      this.logger.warn({ url: this.url, error: reason }, "news feed: request failed; keeping what we had");
    } finally {
      clearTimeout(timer);
    }
  }

  private requestHeaders(): Record<string, string> {
    const headers: Record<string, string> = {
      accept: "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1",
    };
    // Validators only make sense with the body they belong to: a 304 without it would leave us empty-handed.
    if (this.good?.etag) headers["if-none-match"] = this.good.etag;
    if (this.good?.lastModified) headers["if-modified-since"] = this.good.lastModified;
    return headers;
  }

  private async loadSavedState(): Promise<void> {
    if (this.stateLoaded || !this.state) return;
    this.stateLoaded = true;
    try {
      const saved = await this.state.load(this.url);
      // Nothing saved, or claimed by an instance whose first request has not come back yet: nothing to read.
      if (!saved || saved.body === "") return;
      this.lastRequestAt = saved.fetchedAt;
      const parsed = parseNewsFeed(saved.body, this.url);
      if (parsed.ok) {
        this.good = { issue: parsed.issue, body: saved.body, etag: saved.etag, lastModified: saved.lastModified };
      } else {
        this.logger.warn({ url: this.url, problem: parsed.problem }, "news feed: the saved feed is unusable");
      }
    } catch (error) {
      this.logger.warn({ url: this.url, error: describe(error) }, "news feed: could not load the saved state");
    }
  }

  private async saveState(): Promise<void> {
    if (!this.state || !this.good || this.lastRequestAt === null) return;
    const { body, etag, lastModified } = this.good;
    try {
      await this.state.save(this.url, { etag, lastModified, fetchedAt: this.lastRequestAt, body });
    } catch (error) {
      this.logger.warn({ url: this.url, error: describe(error) }, "news feed: could not save the state");
    }
  }
}

/** Node's fetch hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : null;
  const code = cause && "code" in cause ? ` (${String(cause.code)})` : "";
  return cause ? `${error.message}: ${cause.message}${code}` : error.message;
}
