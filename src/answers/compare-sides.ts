import { siteUrls } from "../knowledge/urls.ts";
import type { CompareAnswer, FamilyAnswer, LicenceAnswer } from "./types.ts";

/** Two families or two licences side by side, linked to the site's page on such entries. */
export function compareSides(left: FamilyAnswer | LicenceAnswer, right: FamilyAnswer | LicenceAnswer): CompareAnswer {
  const families = left.type === "family" && right.type === "family";
  return {
    type: "compare",
    left,
    right,
    url: siteUrls.module("weights", families ? "the-major-families-2026" : "the-license-tiers"),
  };
}
