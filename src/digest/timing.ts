import { Cron } from "croner";

/**
 * Schedule arithmetic for the daily digest: a guild picks a local time ("HH:MM") and an IANA timezone,
 * and everything here turns that into instants. Pure apart from reading the ICU timezone database.
 *
 * Daylight saving, as tested in test/digest-timing.test.ts:
 * - spring forward: a time inside the skipped hour (02:30 in New York on 2026-03-08) fires once that day,
 *   an hour late by the wall clock (03:30 local), so the day is never skipped;
 * - fall back: a time inside the repeated hour fires once, at one of its two instants (croner's choice:
 *   the first in New York, the second in Berlin), never twice.
 */

export interface LocalTime {
  hour: number;
  minute: number;
  /** Normalised "HH:MM". */
  text: string;
}

export type MissedRun = { localDate: string; scheduledAt: Date } | { skippedDate: string; scheduledAt: Date };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** No zone is further ahead of UTC than +14:00, so local midnight never comes earlier than this. */
const MAX_UTC_OFFSET_MS = 14 * HOUR_MS;

const PINNED_TIMEZONES = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Paris",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "Asia/Tokyo",
  "Asia/Shanghai",
  "Asia/Singapore",
  "Asia/Kolkata",
  "Asia/Dubai",
  "Australia/Sydney",
  "Pacific/Auckland",
] as const;

export function isValidTimezone(tz: string): boolean {
  if (tz.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The conventional spelling of a timezone typed in any case ("europe/berlin" -> "Europe/Berlin"), or null. */
export function canonicalTimezone(tz: string): string | null {
  const typed = tz.trim();
  if (!isValidTimezone(typed)) return null;
  const lower = typed.toLowerCase();
  return timezoneNames().find((name) => name.toLowerCase() === lower) ?? typed;
}

/** "HH:MM" from 00:00 to 23:59 (a one-digit hour is accepted), or null. */
export function parseLocalTime(text: string): LocalTime | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return null;
  return { hour, minute, text: `${pad2(hour)}:${pad2(minute)}` };
}

/** The calendar date the clocks in `tz` show at `instant`, as "YYYY-MM-DD". */
export function localDate(instant: Date, tz: string): string {
  const parts = localParts(instant, requireTimezone(tz));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** "2026-11-28 09:00 (Europe/Berlin)". */
export function formatLocal(instant: Date, tz: string): string {
  const parts = localParts(instant, requireTimezone(tz));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${tz})`;
}

/**
 * The instant the local clock shows `time` on `date`. On a date where that time does not exist, the
 * instant croner moves it to (see the module comment). A date that a zone skipped entirely (Samoa,
 * 2011-12-30) gets the first run after it.
 */
export function scheduledInstant(date: string, time: string, tz: string): Date {
  const cron = dailyCron(time, tz);
  const midnightUtc = parseLocalDate(date);
  let cursor = new Date(midnightUtc - MAX_UTC_OFFSET_MS - 1);
  // A few steps suffice: the cursor starts at most a day and a bit before the date.
  for (let step = 0; step < 4; step++) {
    const run = cron.nextRun(cursor);
    if (!run) break;
    if (localDate(run, tz) >= date) return run;
    cursor = run;
  }
  throw new RangeError(`No run found for ${date} ${time} in ${tz}`);
}

/**
 * The next instant strictly after `after` when the local clock shows `time`. Built on
 * `scheduledInstant` of today, tomorrow, ... so that it agrees with it and with `missedToday` exactly,
 * and no local date is ever skipped (croner alone skips the rest of a fall-back day once the first of
 * the two repeated hours has passed).
 */
export function nextRun(time: string, tz: string, after: Date): Date {
  let date = localDate(after, tz);
  for (let step = 0; step < 3; step++) {
    const candidate = scheduledInstant(date, time, tz);
    if (candidate.getTime() > after.getTime()) return candidate;
    date = addDays(date, 1);
  }
  throw new RangeError(`No run found after ${after.toISOString()} for ${time} in ${tz}`);
}

/**
 * Whether today's run (in `tz`) has already passed at `now`: within `graceMs` it is still worth sending
 * late (a restart just after the time); older than that it is reported as skipped. Null when today's
 * time is still ahead.
 */
export function missedToday(now: Date, time: string, tz: string, graceMs: number): MissedRun | null {
  const today = localDate(now, tz);
  const scheduledAt = scheduledInstant(today, time, tz);
  const late = now.getTime() - scheduledAt.getTime();
  if (late < 0) return null;
  return late <= graceMs ? { localDate: today, scheduledAt } : { skippedDate: today, scheduledAt };
}

/**
 * Timezone names for an autocomplete list, best first: an exact match (any case), then names where the
 * typed text starts the full name or any part after a "/", then names that contain it. Spaces match
 * underscores ("new york"). Nothing typed gives the most common zones.
 */
export function timezoneSuggestions(typed: string, limit = 25): string[] {
  const query = typed.trim().toLowerCase().replace(/\s+/g, "_");
  if (query === "") return PINNED_TIMEZONES.filter(isValidTimezone).slice(0, limit);
  const exact: string[] = [];
  const prefix: string[] = [];
  const substring: string[] = [];
  for (const name of timezoneNames()) {
    const lower = name.toLowerCase();
    if (lower === query) exact.push(name);
    else if (lower.split("/").some((_, index, parts) => parts.slice(index).join("/").startsWith(query)))
      prefix.push(name);
    else if (lower.includes(query)) substring.push(name);
  }
  return [...exact, ...prefix, ...substring].slice(0, limit);
}

let cachedTimezoneNames: readonly string[] | undefined;

/** ICU's list, plus "UTC" and the pinned names (Node 20's ICU lists Asia/Calcutta but not Asia/Kolkata). */
function timezoneNames(): readonly string[] {
  if (!cachedTimezoneNames) {
    const names = new Set<string>([...Intl.supportedValuesOf("timeZone"), ...PINNED_TIMEZONES]);
    cachedTimezoneNames = [...names].filter(isValidTimezone).sort();
  }
  return cachedTimezoneNames;
}

function dailyCron(time: string, tz: string): Cron {
  const parsed = parseLocalTime(time);
  if (!parsed) throw new RangeError(`Invalid local time "${time}": expected HH:MM from 00:00 to 23:59`);
  // Without a callback croner schedules nothing, so there is no timer to stop.
  return new Cron(`0 ${parsed.minute} ${parsed.hour} * * *`, { timezone: requireTimezone(tz) });
}

function requireTimezone(tz: string): string {
  if (!isValidTimezone(tz))
    throw new RangeError(`Unknown timezone "${tz}": expected an IANA name such as Europe/Berlin`);
  return tz;
}

function parseLocalDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const utc = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`Invalid local date "${date}": expected YYYY-MM-DD`);
  }
  return utc;
}

function addDays(date: string, days: number): string {
  return new Date(parseLocalDate(date) + days * DAY_MS).toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(instant: Date, tz: string): Record<"year" | "month" | "day" | "hour" | "minute", string> {
  let formatter = formatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(tz, formatter);
  }
  const parts = { year: "", month: "", day: "", hour: "", minute: "" };
  for (const part of formatter.formatToParts(instant)) {
    if (part.type in parts) parts[part.type as keyof typeof parts] = part.value;
  }
  return parts;
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}
