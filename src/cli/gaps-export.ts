import { configOrReport, readStoreConfig } from "../config.ts";
import type { GapCount, WrongCount } from "../store/gaps.ts";
import { openStore } from "../store/store.ts";
import { readCliArgs } from "./cli-args.ts";

const USAGE = "Usage: npm run -s gaps:export -- [--since 30d] [--format csv|json]";

/**
 * `npm run gaps:export`: for the site's editors, what members asked that the content did not answer
 * and the answers they marked wrong, across every server, over a period. Counts, servers and
 * unknown names always; example text only from servers that chose to keep it.
 */
async function main(): Promise<number> {
  const args = readCliArgs({ options: { since: { type: "string" }, format: { type: "string" } } }, USAGE);
  if ("exitCode" in args) return args.exitCode;
  const { values } = args;
  const days = /^(\d{1,4})d$/.exec(values.since ?? "30d");
  const format = values.format ?? "csv";
  if (!days || Number(days[1]) < 1 || (format !== "csv" && format !== "json")) {
    console.error(`--since takes a number of days such as 30d, and --format csv or json.\n${USAGE}`);
    return 1;
  }
  const config = configOrReport(() => readStoreConfig(), "gaps:export cannot run");
  if (!config) return 1;
  const store = await openStore(config);
  try {
    const since = Date.now() - Number(days[1]) * 86_400_000;
    const gaps = await store.gaps.topGaps(null, since, 1000);
    const wrong = await store.gaps.topWrong(null, since, 1000);
    process.stdout.write(
      format === "json"
        ? `${JSON.stringify({ since: new Date(since).toISOString(), gaps, wrong }, null, 2)}\n`
        : csv(gaps, wrong),
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** One table: a row per gap or answer marked wrong, with its counts and, where kept, an example. */
function csv(gaps: readonly GapCount[], wrong: readonly WrongCount[]): string {
  const rows = [
    ["type", "kind", "what", "count", "servers", "example"],
    ...gaps.map((gap) => ["gap", gap.kind, gap.missing, String(gap.count), String(gap.servers), gap.example ?? ""]),
    ...wrong.map((item) => [
      "marked-wrong",
      item.answerKind,
      item.entry,
      String(item.count),
      String(item.servers),
      item.reason ?? item.example ?? "",
    ]),
  ];
  return `${rows.map((row) => row.map(cell).join(",")).join("\n")}\n`;
}

function cell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`gaps:export failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
