import { configOrReport, readContentConfig } from "../config.ts";
import { formatIssue } from "../content/issues.ts";
import { resolveContent } from "../sync/content-source.ts";

/** `npm run content:sync`: one sync of CONTENT_SOURCE, as the bot runs it; prints what it served. */
async function main(): Promise<number> {
  const config = configOrReport(readContentConfig, "npm run content:sync cannot run");
  if (!config) return 1;
  if (config.CONTENT_DIR) {
    console.error(
      "CONTENT_DIR is set, so the bot serves that directory and does not sync; unset it to use CONTENT_SOURCE.",
    );
    return 1;
  }
  const { sync } = resolveContent(config);
  if (!sync) {
    console.error(
      "Set CONTENT_SOURCE to the site's git repository (a URL, a local path or a file:// URL) to sync from it.",
    );
    return 1;
  }
  const result = await sync.sync();
  if (result.status === "failed") {
    console.error(`content sync failed: ${result.reason}`);
    const kept = sync.current();
    if (kept) console.error(`still serving commit ${kept.commit} of ${kept.date}`);
    return 1;
  }
  const { commit, date, dir } = result.copy;
  console.log(
    `${result.status === "updated" ? "synced" : "already at"} commit ${commit} of ${date} from ${sync.source}`,
  );
  console.log(`files: ${dir}`);
  if (result.status === "updated") {
    const { kb } = result.loaded.knowledge!;
    for (const issue of result.loaded.warnings.slice(0, 20)) console.log(formatIssue(issue));
    if (result.loaded.warnings.length > 20) console.log(`…and ${result.loaded.warnings.length - 20} more warnings`);
    console.log(
      `content: ${kb.terms.size} terms, ${kb.families.size} families, ${kb.licences.size} licences, ${kb.models.size} models, ${kb.sections.size} sections (${result.loaded.warnings.length} warnings)`,
    );
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`content sync failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
