import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { evaluateCase, parseEvalFile, summarize } from "../answers/evaluate.ts";
import { loadKnowledge } from "../answers/knowledge-loader.ts";

const DEFAULT_QUERIES = fileURLToPath(new URL("../../test/queries.tsv", import.meta.url));
const TARGET_TOP1 = 0.95;

function main(): number {
  const { values } = parseArgs({
    options: { queries: { type: "string" }, content: { type: "string" }, verbose: { type: "boolean" } },
  });
  const { knowledge, errors } = loadKnowledge(values.content);
  if (!knowledge) {
    console.error(`content has ${errors.length} error(s); run npm run content:check`);
    return 1;
  }
  const cases = parseEvalFile(readFileSync(values.queries ?? DEFAULT_QUERIES, "utf8"));
  const outcomes = cases.map((testCase) => evaluateCase(knowledge, testCase));
  for (const outcome of outcomes) {
    if (!outcome.correct || values.verbose) {
      console.log(
        `${outcome.correct ? "ok  " : "MISS"} /${outcome.command} ${outcome.query} -> ${outcome.got} (expected ${outcome.expected}, rank ${outcome.rank ?? "-"})`,
      );
    }
  }
  const { total, top1, mrr } = summarize(outcomes);
  console.log(
    `${total} queries · top-1 ${(top1 * 100).toFixed(1)}% · MRR ${mrr.toFixed(3)} · target top-1 ≥ ${TARGET_TOP1 * 100}%`,
  );
  return top1 >= TARGET_TOP1 ? 0 : 1;
}

process.exitCode = main();
