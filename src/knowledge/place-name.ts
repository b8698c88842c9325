const REGION_NAMES = new Intl.DisplayNames("en", { type: "region" });

/** A country's English name from its ISO code; a code Intl does not take (a region such as "EEA") as it is. */
export function placeName(code: string): string {
  try {
    return REGION_NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}
