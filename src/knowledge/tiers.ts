import { TIERS, type Tier } from "../content/schemas.ts";

/** The most restrictive of some tiers (TIERS runs from open to proprietary); null for none. */
export function strictestTier(tiers: readonly Tier[]): Tier | null {
  return tiers.reduce<Tier | null>(
    (worst, tier) => (worst === null || TIERS.indexOf(tier) > TIERS.indexOf(worst) ? tier : worst),
    null,
  );
}
