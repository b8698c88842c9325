import type { Tier } from "../content/schemas.ts";
import type { EntryKind, HardwareBenchmark, Licence, Model } from "../knowledge/types.ts";

// The records answers carry whole: the renderers name them from here, never from the knowledge.
export type { Licence, Model } from "../knowledge/types.ts";

/** An entry an answer points to (a suggestion, a "see also"), with its page on the site. */
export interface EntryLink {
  kind: EntryKind;
  id: string;
  name: string;
  url: string;
}

/** A family's tier: one for the whole family, or one per run of versions when they differ. */
export interface FamilyTiers {
  mixed: boolean;
  /** The tier when they agree (the registry's own when no licence is known); null when unknown. */
  tier: Tier | null;
  /** Newest first: consecutive versions under licences of the same tier. */
  runs: { versions: string[]; tier: Tier }[];
}

/** One release line of a family's licence history, with its licence when the registry holds it. */
export interface FamilyVersion {
  version: string;
  licenceId: string;
  licence: Licence | null;
}

/** A model with the licence its card names first, when the registry holds it. */
export interface ModelWithLicence {
  model: Model;
  licence: Licence | null;
}

/** A measured speed as a fit answer shows it. */
export type BenchmarkRow = Pick<
  HardwareBenchmark,
  "units" | "quant" | "runtime" | "decodeTokS" | "contextLength" | "asOf" | "source"
>;
