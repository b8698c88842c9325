const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/**
 * The date of a daily issue, "YYYY-MM-DD". The link names the issue (/news/2026-11-28), so it wins;
 * then the date written in <pubDate>, taken as written rather than converted to UTC, because an issue
 * published just after midnight at +01:00 still belongs to that day; then a date in the title.
 */
export function issueDate(item: { link: string; pubDate: string; title: string }): string | null {
  return isoDateIn(item.link) ?? dateFromPubDate(item.pubDate) ?? isoDateIn(item.title) ?? writtenDateIn(item.title);
}

/** RFC 822 ("Sat, 28 Nov 2026 07:00:00 GMT"), or ISO 8601 as some feeds write it. */
export function dateFromPubDate(pubDate: string): string | null {
  const rfc822 = /^(?:[a-z]{3,9},?\s*)?(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{4}|\d{2})\b/i.exec(pubDate.trim());
  if (rfc822) {
    const year = rfc822[3]!.length === 2 ? 2000 + Number(rfc822[3]) : Number(rfc822[3]);
    return validDate(year, monthNumber(rfc822[2]!), Number(rfc822[1]));
  }
  return /^\d{4}-\d{2}-\d{2}/.test(pubDate.trim()) ? isoDateIn(pubDate) : null;
}

function isoDateIn(text: string): string | null {
  const match = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(text);
  return match ? validDate(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

/** "28 November 2026", "November 28, 2026", "Nov 28 2026". */
function writtenDateIn(text: string): string | null {
  const dayFirst = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b/i.exec(text);
  if (dayFirst) return validDate(Number(dayFirst[3]), monthNumber(dayFirst[2]!), Number(dayFirst[1]));
  const monthFirst = /\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i.exec(text);
  if (monthFirst) return validDate(Number(monthFirst[3]), monthNumber(monthFirst[1]!), Number(monthFirst[2]));
  return null;
}

/** 1-12 for a full or abbreviated English month name ("Nov", "Sept", "November"), else 0. */
function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex(
    (month) => lower === month || lower === month.slice(0, 3) || (month === "september" && lower === "sept"),
  );
  return index + 1;
}

function validDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}
