/**
 * The one way every claim is decided (a digest day, a forum thread, a feed fetch, a repeated answer,
 * a weekly report), by the database and alike on both engines: an insert that does nothing when the
 * row exists, then an update that takes the row over only when its claim is stale, then reading the
 * row. Each step is one statement, atomic on its own, so of any number of callers (in one process or
 * several) exactly one wins the insert and exactly one wins each takeover.
 */
export interface ClaimSteps<Row> {
  /** `INSERT … ON CONFLICT DO NOTHING`: true when this caller's row went in. */
  insert(): Promise<boolean>;
  /** `UPDATE … WHERE <the claim is stale> RETURNING …`: the row when this caller took it over. */
  takeOver(): Promise<Row | undefined>;
  /** The row as it stands, held by someone else. */
  read(): Promise<Row | undefined>;
}

export type ClaimOutcome<Row> = { won: "inserted" } | { won: "taken-over"; row: Row } | { won: false; row: Row };

export async function claim<Row>(steps: ClaimSteps<Row>): Promise<ClaimOutcome<Row>> {
  for (;;) {
    if (await steps.insert()) return { won: "inserted" };
    const taken = await steps.takeOver();
    if (taken) return { won: "taken-over", row: taken };
    const row = await steps.read();
    if (row) return { won: false, row };
    // The row was deleted between the insert and the read (released, or its server forgotten): try again.
  }
}
