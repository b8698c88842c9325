import { describe, expect, it } from "vitest";
import {
  canonicalTimezone,
  formatLocal,
  isValidTimezone,
  localDate,
  missedToday,
  nextRun,
  parseLocalTime,
  scheduledInstant,
  timezoneSuggestions,
} from "../src/digest/timing.ts";

const NEW_YORK = "America/New_York";
const BERLIN = "Europe/Berlin";
const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

/** Every run from `from` up to `until`, following nextRun the way the scheduler does. */
function runsBetween(time: string, tz: string, from: string, until: string): string[] {
  const runs: string[] = [];
  let cursor = at(from);
  for (;;) {
    cursor = nextRun(time, tz, cursor);
    if (cursor.getTime() >= at(until).getTime()) return runs;
    runs.push(iso(cursor));
  }
}

describe("parseLocalTime", () => {
  it("accepts 00:00 to 23:59 and normalises a one-digit hour", () => {
    expect(parseLocalTime("00:00")).toEqual({ hour: 0, minute: 0, text: "00:00" });
    expect(parseLocalTime("23:59")).toEqual({ hour: 23, minute: 59, text: "23:59" });
    expect(parseLocalTime(" 9:05 ")).toEqual({ hour: 9, minute: 5, text: "09:05" });
  });

  it.each(["24:00", "12:60", "9", "09:5", "09-00", "", "ab:cd", "-1:00", "009:00"])("rejects %j", (text) => {
    expect(parseLocalTime(text)).toBeNull();
  });
});

describe("timezones", () => {
  it("accepts IANA names and rejects the rest", () => {
    expect(isValidTimezone(BERLIN)).toBe(true);
    expect(isValidTimezone("UTC")).toBe(true);
    expect(isValidTimezone("Asia/Kolkata")).toBe(true);
    expect(isValidTimezone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimezone("")).toBe(false);
    expect(isValidTimezone("   ")).toBe(false);
  });

  it("spells a timezone typed in any case the usual way", () => {
    expect(canonicalTimezone("europe/berlin")).toBe(BERLIN);
    expect(canonicalTimezone(" utc ")).toBe("UTC");
    expect(canonicalTimezone("Nowhere/Land")).toBeNull();
  });

  it("every function rejects an invalid time or timezone", () => {
    const now = at("2026-06-01T12:00:00Z");
    expect(() => nextRun("25:00", BERLIN, now)).toThrow(RangeError);
    expect(() => nextRun("09:00", "Nowhere/Land", now)).toThrow(/Unknown timezone/);
    expect(() => scheduledInstant("2026-06-01", "9h", BERLIN)).toThrow(/Invalid local time/);
    expect(() => scheduledInstant("2026-02-30", "09:00", BERLIN)).toThrow(/Invalid local date/);
    expect(() => localDate(now, "Nowhere/Land")).toThrow(RangeError);
    expect(() => formatLocal(now, "Nowhere/Land")).toThrow(RangeError);
    expect(() => missedToday(now, "12:61", BERLIN, 60_000)).toThrow(RangeError);
  });
});

describe("nextRun at 09:00 around the daylight-saving changes", () => {
  it.each([
    // New York: EST (UTC-5) -> EDT (UTC-4) on 2026-03-08, back on 2026-11-01.
    [
      NEW_YORK,
      "2026-03-06T15:00:00Z",
      ["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"],
    ],
    [
      NEW_YORK,
      "2026-10-30T15:00:00Z",
      ["2026-10-31T13:00:00.000Z", "2026-11-01T14:00:00.000Z", "2026-11-02T14:00:00.000Z"],
    ],
    // Berlin: CET (UTC+1) -> CEST (UTC+2) on 2026-03-29, back on 2026-10-25.
    [
      BERLIN,
      "2026-03-27T09:00:00Z",
      ["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"],
    ],
    [
      BERLIN,
      "2026-10-23T09:00:00Z",
      ["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"],
    ],
  ])("%s from %s", (tz, from, expected) => {
    const runs = runsBetween("09:00", tz, from, expected.at(-1)!.replace(/T.*/, "T23:59:59Z"));
    expect(runs).toEqual(expected);
  });

  it("is strictly after the given instant", () => {
    expect(iso(nextRun("09:00", BERLIN, at("2026-06-01T07:00:00Z")))).toBe("2026-06-02T07:00:00.000Z");
    expect(iso(nextRun("09:00", BERLIN, at("2026-06-01T06:59:59.999Z")))).toBe("2026-06-01T07:00:00.000Z");
  });
});

describe("a time the clocks skip or repeat", () => {
  it("02:30 on New York's spring-forward day fires once, at 03:30 EDT", () => {
    const runs = runsBetween("02:30", NEW_YORK, "2026-03-07T12:00:00Z", "2026-03-09T00:00:00Z");
    expect(runs).toEqual(["2026-03-08T07:30:00.000Z"]);
    expect(formatLocal(at(runs[0]!), NEW_YORK)).toBe("2026-03-08 03:30 (America/New_York)");
  });

  it("02:30 on Berlin's spring-forward day fires once, at 03:30 CEST", () => {
    const runs = runsBetween("02:30", BERLIN, "2026-03-28T12:00:00Z", "2026-03-30T00:00:00Z");
    expect(runs).toEqual(["2026-03-29T01:30:00.000Z"]);
    expect(formatLocal(at(runs[0]!), BERLIN)).toBe("2026-03-29 03:30 (Europe/Berlin)");
  });

  it("01:30 on New York's fall-back day fires once, not twice", () => {
    // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    const runs = runsBetween("01:30", NEW_YORK, "2026-10-31T12:00:00Z", "2026-11-02T00:00:00Z");
    expect(runs).toEqual(["2026-11-01T05:30:00.000Z"]);
  });

  it("02:30 on Berlin's fall-back day fires once, not twice", () => {
    // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    const runs = runsBetween("02:30", BERLIN, "2026-10-24T12:00:00Z", "2026-10-26T00:00:00Z");
    expect(runs).toEqual(["2026-10-25T01:30:00.000Z"]);
  });

  it("01:30 on Berlin's fall-back day is unaffected (the repeated hour is 02:00-03:00)", () => {
    const runs = runsBetween("01:30", BERLIN, "2026-10-24T12:00:00Z", "2026-10-26T00:00:00Z");
    expect(runs).toEqual(["2026-10-24T23:30:00.000Z"]);
  });

  it("a restart between Berlin's two 02:30s still sends that day", () => {
    expect(iso(nextRun("02:30", BERLIN, at("2026-10-25T00:45:00Z")))).toBe("2026-10-25T01:30:00.000Z");
  });
});

describe("midnight edges", () => {
  it("00:00 and 23:59 land on the right local date", () => {
    expect(runsBetween("00:00", NEW_YORK, "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z")).toEqual([
      "2026-03-08T05:00:00.000Z",
      "2026-03-09T04:00:00.000Z",
    ]);
    expect(runsBetween("23:59", BERLIN, "2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z")).toEqual([
      "2026-03-28T22:59:00.000Z",
      "2026-03-29T21:59:00.000Z",
    ]);
    expect(localDate(at("2026-03-29T21:59:00Z"), BERLIN)).toBe("2026-03-29");
  });

  it("localDate follows the local clock, not UTC", () => {
    const lateUtc = at("2026-11-27T23:30:00Z");
    expect(localDate(lateUtc, "UTC")).toBe("2026-11-27");
    expect(localDate(lateUtc, BERLIN)).toBe("2026-11-28");
    expect(localDate(lateUtc, NEW_YORK)).toBe("2026-11-27");
    const earlyUtc = at("2026-11-28T03:00:00Z");
    expect(localDate(earlyUtc, NEW_YORK)).toBe("2026-11-27");
    expect(localDate(earlyUtc, BERLIN)).toBe("2026-11-28");
  });

  it("scheduledInstant gives the instant of a local date and time", () => {
    expect(iso(scheduledInstant("2026-11-28", "00:00", BERLIN))).toBe("2026-11-27T23:00:00.000Z");
    expect(iso(scheduledInstant("2026-11-28", "23:59", NEW_YORK))).toBe("2026-11-29T04:59:00.000Z");
    expect(iso(scheduledInstant("2026-11-28", "09:00", "Pacific/Kiritimati"))).toBe("2026-11-27T19:00:00.000Z");
    expect(iso(scheduledInstant("2026-11-28", "23:00", "Pacific/Pago_Pago"))).toBe("2026-11-29T10:00:00.000Z");
  });
});

describe("missedToday", () => {
  const grace = 30 * 60_000;

  it("is null before today's time", () => {
    expect(missedToday(at("2026-11-28T07:59:00Z"), "09:00", BERLIN, grace)).toBeNull();
  });

  it("catches up within the grace window", () => {
    expect(missedToday(at("2026-11-28T08:10:00Z"), "09:00", BERLIN, grace)).toEqual({
      localDate: "2026-11-28",
      scheduledAt: at("2026-11-28T08:00:00Z"),
    });
  });

  it("reports an older miss as skipped", () => {
    expect(missedToday(at("2026-11-28T12:00:00Z"), "09:00", BERLIN, grace)).toEqual({
      skippedDate: "2026-11-28",
      scheduledAt: at("2026-11-28T08:00:00Z"),
    });
  });

  it("uses the local date, which may differ from the UTC date", () => {
    // 00:10 UTC on the 29th is still the 28th in New York, where 09:00 passed long ago.
    expect(missedToday(at("2026-11-29T00:10:00Z"), "09:00", NEW_YORK, grace)).toEqual({
      skippedDate: "2026-11-28",
      scheduledAt: at("2026-11-28T14:00:00Z"),
    });
  });
});

describe("formatLocal", () => {
  it("shows the local date, 24-hour time and zone", () => {
    expect(formatLocal(at("2026-11-28T08:00:00Z"), BERLIN)).toBe("2026-11-28 09:00 (Europe/Berlin)");
    expect(formatLocal(at("2026-11-28T05:00:00Z"), NEW_YORK)).toBe("2026-11-28 00:00 (America/New_York)");
  });
});

describe("timezoneSuggestions", () => {
  it("pins common zones when nothing is typed", () => {
    const pinned = timezoneSuggestions("");
    expect(pinned.slice(0, 3)).toEqual(["UTC", "Europe/London", "Europe/Berlin"]);
    expect(pinned).toContain("Asia/Kolkata");
    expect(pinned.length).toBeLessThanOrEqual(25);
  });

  it("ranks an exact match, then prefixes, then substrings", () => {
    expect(timezoneSuggestions("europe/berlin")[0]).toBe(BERLIN);
    expect(timezoneSuggestions("berlin")).toEqual([BERLIN]);
    expect(timezoneSuggestions("new york")[0]).toBe(NEW_YORK);
    expect(timezoneSuggestions("utc")[0]).toBe("UTC");
    expect(timezoneSuggestions("paulo")).toEqual(["America/Sao_Paulo"]);
  });

  it.each(["lon", "ar", "an", "ang"])("orders %j as exact < prefix < substring", (typed) => {
    const rank = (name: string) => {
      const lower = name.toLowerCase();
      if (lower === typed) return 0;
      const segments = lower.split("/");
      return segments.some((_, index) => segments.slice(index).join("/").startsWith(typed)) ? 1 : 2;
    };
    const ranks = timezoneSuggestions(typed, 1000).map(rank);
    expect(ranks.length).toBeGreaterThan(1);
    expect(ranks).toEqual([...ranks].sort());
    expect(new Set(ranks).size).toBeGreaterThan(1);
  });

  it("respects the limit and finds nothing for nonsense", () => {
    expect(timezoneSuggestions("a", 5)).toHaveLength(5);
    expect(timezoneSuggestions("zzzz-not-a-zone")).toEqual([]);
  });
});
