import { familyTierSummary } from "../knowledge/tiers.ts";
import type { Family, Licence } from "../knowledge/types.ts";
import type { FamilyTiers, FamilyVersion } from "./views.ts";

/** A family's tier, and when its versions differ, the tier of each run of versions, newest first. */
export function familyTiers(family: Family, licences: ReadonlyMap<string, Licence>): FamilyTiers {
  const summary = familyTierSummary(family, licences);
  const runs: FamilyTiers["runs"] = [];
  for (const entry of family.licenses) {
    const licence = licences.get(entry.licenseId);
    if (!licence) continue;
    const last = runs.at(-1);
    if (last && last.tier === licence.tier) last.versions.push(entry.version);
    else runs.push({ versions: [entry.version], tier: licence.tier });
  }
  return { mixed: summary.mixed, tier: summary.tiers[0] ?? family.tier, runs };
}

/** Each release line of a family with its licence, kept even when the registry lacks the licence. */
export function familyVersions(family: Family, licences: ReadonlyMap<string, Licence>): FamilyVersion[] {
  return family.licenses.map((entry) => ({
    version: entry.version,
    licenceId: entry.licenseId,
    licence: licences.get(entry.licenseId) ?? null,
  }));
}
