import type { Family, Licence, Term } from "../knowledge/types.ts";

// The daily digest as an answer model: what the selection picked, complete, for the renderer.

export interface DigestNews {
  date: string;
  title: string;
  summary: string;
  link: string;
}

export type Spotlight = { kind: "family"; family: Family } | { kind: "license"; licence: Licence };

export interface DigestSelection {
  localDate: string;
  term: Term;
  termUrl: string;
  termUpdated: boolean;
  spotlight: Spotlight;
  spotlightUrl: string;
  spotlightUpdated: boolean;
  news: DigestNews | null;
  /** What to record as shown once the digest is posted. */
  shown: { kind: "term" | "spotlight"; entryId: string }[];
  credit: string;
}
