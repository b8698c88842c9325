import { describe, expect, it } from "vitest";
import { lastWholeWeek } from "../src/digest/weekly-gaps.ts";

describe("the weekly gaps report's week", () => {
  it("is the last whole Monday-to-Sunday week in UTC", () => {
    // Monday 2026-12-07, just after midnight UTC: the week of Monday 2026-11-30 has just ended.
    const monday = Date.parse("2026-12-07T00:00:01Z");
    expect(lastWholeWeek(monday)).toEqual({
      start: Date.parse("2026-11-30T00:00:00Z"),
      end: Date.parse("2026-12-07T00:00:00Z"),
      key: "2026-11-30",
    });
    // Sunday night is still the week before.
    expect(lastWholeWeek(Date.parse("2026-12-06T23:59:59Z")).key).toBe("2026-11-23");
    // On the stroke of Monday the week that ended is reported.
    expect(lastWholeWeek(Date.parse("2026-12-07T00:00:00Z")).key).toBe("2026-11-30");
    // Across a year's end.
    expect(lastWholeWeek(Date.parse("2027-01-06T12:00:00Z")).key).toBe("2026-12-28");
  });
});
