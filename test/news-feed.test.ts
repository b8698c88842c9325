import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { type FeedState, NewsFeed } from "../src/news/feed.ts";
import { dateFromPubDate, issueDate } from "../src/news/issue-date.ts";
import { parseNewsFeed } from "../src/news/parse-feed.ts";
import { htmlToPlainText } from "../src/news/plain-text.ts";
import { PostgresStore } from "../src/store/store.ts";
import { freshDatabase } from "./helpers/postgres.ts";

const ETAG = '"issue-2026-11-28"';
const LAST_MODIFIED = "Sat, 28 Nov 2026 07:00:00 GMT";

const FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>The Open-Source AI Stack: news</title>
    <link>https://www.open-source-ai.tech/news</link>
    <atom:link href="https://www.open-source-ai.tech/news/rss.xml" rel="self" type="application/rss+xml"/>
    <item>
      <title>Daily roundup 27 November 2026</title>
      <link>https://www.open-source-ai.tech/news/2026-11-27</link>
      <description>Yesterday's letter.</description>
      <pubDate>Fri, 27 Nov 2026 07:00:00 GMT</pubDate>
    </item>
    <item>
      <title>Daily roundup 28 November 2026</title>
      <link>https://www.open-source-ai.tech/news/2026-11-28</link>
      <description><![CDATA[<p>Two new open-weights releases &amp; a licence change.</p><p>Read on.</p>]]></description>
      <pubDate>Sat, 28 Nov 2026 07:00:00 GMT</pubDate>
      <guid isPermaLink="true">https://www.open-source-ai.tech/news/2026-11-28</guid>
    </item>
  </channel>
</rss>`;

const NEWEST = {
  date: "2026-11-28",
  title: "Daily roundup 28 November 2026",
  summary: "Two new open-weights releases & a licence change.\n\nRead on.",
  link: "https://www.open-source-ai.tech/news/2026-11-28",
};

type Handler = (response: ServerResponse, headers: IncomingHttpHeaders) => void;

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A local feed server; `requests` records the headers of every request it receives. */
async function feedServer(handler: Handler): Promise<{ url: string; requests: IncomingHttpHeaders[] }> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    requests.push(request.headers);
    handler(response, request.headers);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/news/rss.xml`, requests };
}

function serveFeed(body = FEED): Handler {
  return (response, headers) => {
    if (headers["if-none-match"] === ETAG) {
      response.writeHead(304, { etag: ETAG }).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/rss+xml", etag: ETAG, "last-modified": LAST_MODIFIED });
    response.end(body);
  };
}

function recordingLogger() {
  return { warn: vi.fn<(details: object, message: string) => void>() };
}

describe("NewsFeed", () => {
  it("returns the newest issue of a valid feed", async () => {
    const server = await feedServer(serveFeed());
    const feed = new NewsFeed({ url: server.url });
    expect(await feed.latest()).toEqual(NEWEST);
    expect(server.requests[0]?.accept).toContain("application/rss+xml");
  });

  it("makes no request within the interval, then a conditional one; a 304 keeps the issue", async () => {
    const server = await feedServer(serveFeed());
    let now = 1_000_000;
    const feed = new NewsFeed({ url: server.url, now: () => now, minIntervalMs: 60_000 });

    expect(await feed.latest()).toEqual(NEWEST);
    now += 59_999;
    expect(await feed.latest()).toEqual(NEWEST);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.["if-none-match"]).toBeUndefined();

    now += 1;
    expect(await feed.latest()).toEqual(NEWEST);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]).toMatchObject({ "if-none-match": ETAG, "if-modified-since": LAST_MODIFIED });
  });

  it("shares one request between concurrent callers", async () => {
    const server = await feedServer(serveFeed());
    const feed = new NewsFeed({ url: server.url });
    const results = await Promise.all([feed.latest(), feed.latest(), feed.latest()]);
    expect(results).toEqual([NEWEST, NEWEST, NEWEST]);
    expect(server.requests).toHaveLength(1);
  });

  it("answers null for malformed XML, logs a warning and does not throw", async () => {
    const server = await feedServer(serveFeed("<rss><channel><item><title>Broken</channel></rss>"));
    const logger = recordingLogger();
    const feed = new NewsFeed({ url: server.url, logger });
    await expect(feed.latest()).resolves.toBeNull();
    expect(logger.warn).toHaveBeenCalledOnce();
    expect(logger.warn.mock.calls[0]?.[0]).toMatchObject({ problem: expect.stringMatching(/malformed XML/) });
  });

  it("keeps the last good issue when the feed turns malformed", async () => {
    let body = FEED;
    const server = await feedServer((response) => response.writeHead(200).end(body));
    let now = 0;
    const logger = recordingLogger();
    const feed = new NewsFeed({ url: server.url, now: () => now, minIntervalMs: 1000, logger });
    expect(await feed.latest()).toEqual(NEWEST);
    body = "<rss><channel>";
    now = 1000;
    expect(await feed.latest()).toEqual(NEWEST);
    expect(server.requests).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledOnce();
  });

  it("answers null after the timeout when the server never answers", async () => {
    const server = await feedServer(() => {});
    const logger = recordingLogger();
    const feed = new NewsFeed({ url: server.url, timeoutMs: 200, logger });
    const started = Date.now();
    await expect(feed.latest()).resolves.toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(logger.warn.mock.calls[0]?.[0]).toMatchObject({ error: "no answer within 200 ms" });
  });

  it("answers null when nothing listens on the port", async () => {
    const server = await feedServer(() => {});
    const url = server.url;
    for (const open of servers.splice(0)) await new Promise<void>((resolve) => open.close(() => resolve()));
    const logger = recordingLogger();
    await expect(new NewsFeed({ url, logger }).latest()).resolves.toBeNull();
    expect(logger.warn.mock.calls[0]?.[0]).toMatchObject({ error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it("answers null for an HTTP error", async () => {
    const server = await feedServer((response) => response.writeHead(503).end("busy"));
    const logger = recordingLogger();
    await expect(new NewsFeed({ url: server.url, logger }).latest()).resolves.toBeNull();
    expect(logger.warn.mock.calls[0]?.[0]).toMatchObject({ status: 503 });
  });

  it("saves its state and, after a restart, serves it and revalidates with its validators", async () => {
    const server = await feedServer(serveFeed());
    const saved = new Map<string, FeedState>();
    const state = {
      load: (url: string) => saved.get(url) ?? null,
      save: (url: string, s: FeedState) => {
        saved.set(url, s);
      },
    };
    let now = 5_000;

    await new NewsFeed({ url: server.url, now: () => now, state }).latest();
    expect(saved.get(server.url)).toEqual({ etag: ETAG, lastModified: LAST_MODIFIED, fetchedAt: 5_000, body: FEED });

    now = 6_000;
    const restarted = new NewsFeed({ url: server.url, now: () => now, minIntervalMs: 60_000, state });
    expect(await restarted.latest()).toEqual(NEWEST);
    expect(server.requests).toHaveLength(1);

    now = 70_000;
    expect(await restarted.latest()).toEqual(NEWEST);
    expect(server.requests[1]?.["if-none-match"]).toBe(ETAG);
    expect(saved.get(server.url)?.fetchedAt).toBe(70_000);
  });

  it("an instance that looks while another's request is still out reads the copy once it lands", async () => {
    let release: () => void = () => {};
    const landed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await feedServer((response, headers) => {
      void landed.then(() => serveFeed()(response, headers));
    });
    const saved = new Map<string, FeedState>();
    const state = {
      load: (url: string) => saved.get(url) ?? null,
      save: (url: string, feedState: FeedState) => {
        saved.set(url, feedState);
      },
      // The store's rule: the first claim inserts an empty row; another within the interval is refused.
      claimFetch: async (url: string, at: number, every: number) => {
        const row = saved.get(url);
        if (row && at - row.fetchedAt < every) return false;
        saved.set(url, { etag: null, lastModified: null, fetchedAt: at, body: row?.body ?? "" });
        return true;
      },
    };
    const now = () => 5_000;
    const first = new NewsFeed({ url: server.url, now, minIntervalMs: 60_000, state });
    const second = new NewsFeed({ url: server.url, now, minIntervalMs: 60_000, state });
    const asking = first.latest();
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    expect(await second.latest()).toBeNull();
    release();
    expect(await asking).toEqual(NEWEST);
    expect(await second.latest()).toEqual(NEWEST);
    expect(server.requests).toHaveLength(1);
  });

  it("several instances sharing a PostgreSQL store ask the site once per interval and share the copy", async () => {
    const server = await feedServer(serveFeed());
    const url = await freshDatabase();
    const stores = [await PostgresStore.open(url), await PostgresStore.open(url), await PostgresStore.open(url)];
    onTestFinished(async () => {
      for (const store of stores) await store.close();
    });
    let now = 1_000_000;
    const feeds = stores.map(
      (store) =>
        new NewsFeed({
          url: server.url,
          now: () => now,
          minIntervalMs: 60_000,
          state: {
            load: (feedUrl) => store.getFeedState(feedUrl),
            save: (feedUrl, state) => store.saveFeedState(feedUrl, state),
            claimFetch: (feedUrl, at, every) => store.claimFeedFetch(feedUrl, at, every),
          },
        }),
    );
    const first = await Promise.all(feeds.map((feed) => feed.latest()));
    expect(server.requests).toHaveLength(1);
    expect(first.filter((issue) => issue !== null).length).toBeGreaterThanOrEqual(1);
    now += 1_000;
    // Those that lost the race read the winner's copy from the store.
    expect(await Promise.all(feeds.map((feed) => feed.latest()))).toEqual([NEWEST, NEWEST, NEWEST]);
    expect(server.requests).toHaveLength(1);
    now += 60_000;
    await Promise.all(feeds.map((feed) => feed.latest()));
    expect(server.requests).toHaveLength(2);
  });
});

describe("parseNewsFeed", () => {
  it("needs an RSS channel and a dated item", () => {
    expect(parseNewsFeed("<feed></feed>", "u")).toEqual({ ok: false, problem: expect.stringMatching(/not an RSS/) });
    expect(parseNewsFeed("<rss><channel><item><title>x</title></item></channel></rss>", "u")).toEqual({
      ok: false,
      problem: "no item with a recognisable date",
    });
  });

  it("falls back to a title from the date and the channel link", () => {
    const xml = `<rss><channel><link>https://site.test/news</link>
      <item><pubDate>Sun, 29 Nov 2026 06:00:00 +0100</pubDate><description>Hi</description></item></channel></rss>`;
    expect(parseNewsFeed(xml, "u")).toEqual({
      ok: true,
      issue: { date: "2026-11-29", title: "Daily roundup 2026-11-29", summary: "Hi", link: "https://site.test/news" },
    });
  });
});

describe("issue dates", () => {
  it("prefers the link, then pubDate as written, then the title", () => {
    expect(
      issueDate({ link: "https://x.test/news/2026-11-28", pubDate: "Sun, 29 Nov 2026 00:10:00 +0100", title: "" }),
    ).toBe("2026-11-28");
    expect(issueDate({ link: "", pubDate: "Sun, 29 Nov 2026 00:10:00 +0100", title: "" })).toBe("2026-11-29");
    expect(issueDate({ link: "", pubDate: "", title: "Daily roundup November 30, 2026" })).toBe("2026-11-30");
    expect(issueDate({ link: "", pubDate: "", title: "Daily roundup 1st December 2026" })).toBe("2026-12-01");
    expect(issueDate({ link: "", pubDate: "", title: "Daily roundup" })).toBeNull();
  });

  it("reads RFC 822 and ISO pubDates and rejects impossible ones", () => {
    expect(dateFromPubDate("28 Nov 26 07:00 GMT")).toBe("2026-11-28");
    expect(dateFromPubDate("Mon, 1 Sept 2026 07:00:00 GMT")).toBe("2026-09-01");
    expect(dateFromPubDate("2026-11-28T07:00:00Z")).toBe("2026-11-28");
    expect(dateFromPubDate("Mon, 31 Feb 2026 07:00:00 GMT")).toBeNull();
    expect(dateFromPubDate("yesterday")).toBeNull();
  });
});

describe("htmlToPlainText", () => {
  it("keeps paragraphs, drops tags, decodes entities once", () => {
    expect(htmlToPlainText("<p>One &amp;amp; two</p>\n<p>Three&nbsp;<b>four</b><br/>five &#8212; six</p>")).toBe(
      "One &amp; two\n\nThree four\nfive — six",
    );
    expect(htmlToPlainText("a < b and c > d")).toBe("a < b and c > d");
  });
});
