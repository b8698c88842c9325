/**
 * What a server's members asked that the content did not answer, and the answers they marked wrong:
 * the report `/gaps show` and the weekly post render, counted by the store.
 */
export interface GapCount {
  kind: string;
  missing: string;
  count: number;
  servers: number;
  example: string | null;
}

export interface WrongCount {
  answerKind: string;
  entry: string;
  count: number;
  servers: number;
  reason: string | null;
  example: string | null;
}

export interface GapsReport {
  days: number;
  /** The weekly post's week (its Monday, UTC); absent for /gaps show's last days. */
  week?: string;
  gaps: GapCount[];
  wrong: WrongCount[];
  keepText: boolean;
}
