import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateCase, parseEvalFile, summarize } from "../src/answers/evaluate.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const cases = parseEvalFile(readFileSync(new URL("./queries.tsv", import.meta.url), "utf8"));

describe("the query set", () => {
  it("has at least 150 queries across the lookups", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((testCase) => testCase.command))).toEqual(new Set(["license", "family", "term"]));
  });

  it("names only entries that exist", () => {
    const { kb } = bundledKnowledge();
    const maps = {
      license: kb.licences,
      family: kb.families,
      term: kb.terms,
      model: kb.models,
      section: kb.sections,
    } as const;
    for (const { expected } of cases) {
      if (expected === "none") continue;
      const [kind, id] = expected.split(/:(.*)/s) as [keyof typeof maps, string];
      expect(maps[kind]?.has(id), expected).toBe(true);
    }
  });

  it("finds the expected entry first for at least 95% of queries", () => {
    const knowledge = bundledKnowledge();
    const { top1, mrr } = summarize(cases.map((testCase) => evaluateCase(knowledge, testCase)));
    expect(top1).toBeGreaterThanOrEqual(0.95);
    expect(mrr).toBeGreaterThanOrEqual(0.95);
  });
});
