import { readStoreCopyConfig } from "../config.ts";
import { COPIED_TABLES, type CopiedTable, copySqliteToPostgres } from "../store/copy-to-postgres.ts";

/** How the summary names each table's rows: one, and several. */
const NAMES: Record<CopiedTable, [string, string]> = {
  digest_settings: ["digest setting", "digest settings"],
  digest_slots: ["digest slot", "digest slots"],
  digest_shown: ["shown digest entry", "shown digest entries"],
  autoanswer_channels: ["auto-answer channel", "auto-answer channels"],
  answered_threads: ["answered thread", "answered threads"],
  feed_state: ["news feed state", "news feed states"],
  gap_settings: ["gaps setting", "gaps settings"],
  gap_reports: ["weekly gaps report", "weekly gaps reports"],
  gap_events: ["recorded gap", "recorded gaps"],
  answer_feedback: ["answer marked wrong", "answers marked wrong"],
  install_secret: ["install salt", "install salts"],
};

/**
 * `npm run db:migrate-to-postgres`: copies the SQLite database in DATA_DIR into the empty PostgreSQL
 * database at DATABASE_URL, in one transaction; prints what it copied, or one line saying why not.
 */
async function main(): Promise<number> {
  const config = readStoreCopyConfig();
  const { from, to, counts } = await copySqliteToPostgres({
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
  });
  const copied = COPIED_TABLES.map(({ table }) => {
    const [one, several] = NAMES[table];
    return `${counts[table]} ${counts[table] === 1 ? one : several}`;
  });
  console.log(`copied ${copied.join(", ")} from ${from} to ${to}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`cannot copy: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
