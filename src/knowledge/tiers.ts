import { TIERS, type Tier } from "../content/schemas.ts";
import type { Family, Licence } from "./types.ts";

/** The most restrictive of some tiers (TIERS runs from open to proprietary); null for none. */
export function strictestTier(tiers: readonly Tier[]): Tier | null {
  return tiers.reduce<Tier | null>(
    (worst, tier) => (worst === null || TIERS.indexOf(tier) > TIERS.indexOf(worst) ? tier : worst),
    null,
  );
}

/** The tiers a family's versions fall under, and whether they differ (Gemma, Mistral, Qwen, DeepSeek). */
export function familyTierSummary(
  family: Family,
  licences: ReadonlyMap<string, Licence>,
): { tiers: Tier[]; mixed: boolean; newest: Tier | null } {
  const tiers = family.licenses.flatMap((entry) => {
    const tier = licences.get(entry.licenseId)?.tier;
    return tier ? [tier] : [];
  });
  const distinct = TIERS.filter((tier) => tiers.includes(tier));
  return { tiers: distinct, mixed: distinct.length > 1, newest: tiers[0] ?? family.tier };
}
