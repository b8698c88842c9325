import { readContentConfig } from "../config.ts";
import { formatIssue } from "../content/issues.ts";
import { loadKnowledge } from "../load/knowledge-loader.ts";
import { resolveContent } from "../sync/content-source.ts";
import { Vocabulary } from "../understand/vocabulary.ts";
import { readCliArgs } from "./cli-args.ts";

const USAGE = "Usage: npm run -s content:check -- [--content DIR]";

/** Validates the content and the registries: errors exit 1, warnings are printed and do not fail. */
function main(): number {
  const args = readCliArgs({ options: { content: { type: "string" } } }, USAGE);
  if ("exitCode" in args) return args.exitCode;
  const { values } = args;
  const contentDir = values.content ?? resolveContent(readContentConfig()).dir;
  const { knowledge, errors, warnings, timings, salvage } = loadKnowledge(contentDir);
  for (const issue of [...errors, ...warnings]) console.log(formatIssue(issue));
  if (salvage.droppedFields + salvage.coercedFields + salvage.skippedRecords > 0) {
    console.log(
      `read tolerantly: ${salvage.coercedFields} field(s) mended, ${salvage.droppedFields} field(s) dropped, ${salvage.skippedRecords} record(s) skipped`,
    );
  }
  if (knowledge) {
    const { kb } = knowledge;
    console.log(
      `content: ${kb.terms.size} terms, ${kb.families.size} families, ${kb.licences.size} licences, ${kb.models.size} models, ` +
        `${kb.sections.size} sections, ${kb.news.length} news issues, ${kb.hardware.size} hardware parts, ${kb.benchmarks.length} benchmarks (${kb.origin}, newest ${kb.contentDate ?? "undated"})`,
    );
  }
  // The cue files (content/cues/) are the bot's own, whatever content it serves.
  let cueError: string | null = null;
  try {
    const vocab = new Vocabulary();
    console.log(`cues: ${vocab.cues.length} cues in content/cues/, ${vocab.regions.size} regions`);
  } catch (error) {
    cueError = error instanceof Error ? error.message : String(error);
    console.log(`error: ${cueError}`);
  }
  const errorCount = errors.length + (cueError ? 1 : 0);
  console.log(
    `${errorCount} error(s), ${warnings.length} warning(s) in ${Math.round(timings.loadMs + timings.buildMs + timings.indexMs)} ms`,
  );
  return errorCount > 0 ? 1 : 0;
}

process.exitCode = main();
