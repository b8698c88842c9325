import pg from "pg";

/** The channel instances tell each other on that a server's digest settings changed. */
export const DIGEST_SETTINGS_CHANNEL = "stackbot_digest_settings";
const RECONNECT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Listens on one PostgreSQL channel with its own connection (a pooled one cannot hold a LISTEN), and
 * reconnects after the server drops it. Notices are a shortcut, never the only way: callers keep a
 * periodic re-read for the moments the connection is down.
 */
export class NoticeListener {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotice: () => void,
  ) {}

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: "stackbot-notices",
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: CONNECT_TIMEOUT_MS,
    });
    client.on("notification", (message) => {
      if (message.channel === this.channel) this.onNotice();
    });
    // A dropped connection must not crash the process: listen again a little later.
    client.on("error", () => this.reconnect(client));
    client.on("end", () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      // Stopped while connecting: this connection is not wanted any more.
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      // Whatever changed while not listening is picked up now.
      this.onNotice();
    } catch {
      this.reconnect(client);
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private reconnect(client: pg.Client): void {
    if (this.closed || this.retry || (this.client !== null && this.client !== client)) return;
    if (this.client === client) this.client = null;
    void client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
