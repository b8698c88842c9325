import { XMLParser, XMLValidator } from "fast-xml-parser";
import { issueDate } from "./issue-date.ts";
import { htmlToPlainText } from "./plain-text.ts";

/** One daily issue as the site's RSS feed announces it. */
export interface FeedIssue {
  /** "YYYY-MM-DD". */
  date: string;
  title: string;
  /** The editorial letter, as plain text. */
  summary: string;
  /** The issue's page on the site. */
  link: string;
}

export type ParsedFeed = { ok: true; issue: FeedIssue } | { ok: false; problem: string };

const parser = new XMLParser({
  ignoreAttributes: true,
  // Titles such as "2026" must stay strings.
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) => jpath === "rss.channel.item",
});

/** The newest dated item of an RSS 2.0 feed; the problem, for the log, when there is none. */
export function parseNewsFeed(xml: string, feedUrl: string): ParsedFeed {
  // The parser is lenient and would turn broken markup into a half-read feed; validate first.
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    return { ok: false, problem: `malformed XML at line ${line}, column ${col}: ${msg}` };
  }
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch (error) {
    return { ok: false, problem: `unreadable XML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const channel = field(field(document, "rss"), "channel");
  if (channel === undefined) return { ok: false, problem: "not an RSS feed (no <rss><channel>)" };

  const fallbackLink = text(field(channel, "link")) || feedUrl;
  const rawItems = field(channel, "item");
  let newest: FeedIssue | null = null;
  for (const item of Array.isArray(rawItems) ? rawItems : []) {
    const issue = toIssue(item, fallbackLink);
    // Newest by date; among equals the first, as feeds list newest first.
    if (issue && (!newest || issue.date > newest.date)) newest = issue;
  }
  return newest ? { ok: true, issue: newest } : { ok: false, problem: "no item with a recognisable date" };
}

function toIssue(item: unknown, fallbackLink: string): FeedIssue | null {
  const title = text(field(item, "title"));
  const link = text(field(item, "link"));
  const date = issueDate({ link, title, pubDate: text(field(item, "pubDate")) });
  if (!date) return null;
  return {
    date,
    title: title || `Daily roundup ${date}`,
    summary: htmlToPlainText(text(field(item, "description"))),
    link: link || fallbackLink,
  };
}

function field(node: unknown, name: string): unknown {
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>)[name] : undefined;
}

/** A leaf's text; an element that unexpectedly has children contributes its own text only. */
function text(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const own = field(value, "#text");
  return typeof own === "string" ? own.trim() : "";
}
