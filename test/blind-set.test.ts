import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { firstWordOf, judge, parseBlindFile } from "../src/cli/blind-eval.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const file = (half: string) => fileURLToPath(new URL(`./blind/${half}.jsonl`, import.meta.url));

describe("the blind question set", () => {
  const tune = parseBlindFile(file("tune"));
  const test = parseBlindFile(file("test"));
  const extra = parseBlindFile(file("tune-extra"));
  const tune2 = parseBlindFile(file("tune2"));
  const test2 = parseBlindFile(file("test2"));
  const tune3 = parseBlindFile(file("tune3"));
  const test3 = parseBlindFile(file("test3"));

  it("has at least 300 questions split into a tuning and a test half, and no question is in two files", () => {
    expect(tune.length + test.length).toBeGreaterThanOrEqual(300);
    expect(tune2.length + test2.length).toBeGreaterThanOrEqual(300);
    expect(tune3.length + test3.length).toBeGreaterThanOrEqual(300);
    const ids = [...tune, ...test, ...extra, ...tune2, ...test2, ...tune3, ...test3].map((testCase) => testCase.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const held of [test, test2, test3]) {
      const questions = new Set(held.map((testCase) => testCase.question));
      expect([...tune, ...extra, ...tune2, ...tune3].filter((testCase) => questions.has(testCase.question))).toEqual(
        [],
      );
    }
  });

  it("the judge reads the first bold words as a member would", () => {
    expect(firstWordOf("**Asked:** can I?\n⛔ **No**: you get no rights")).toBe("no");
    expect(firstWordOf("⚠️ **Yes, unless** you had over 700 million users")).toBe("depends");
    expect(firstWordOf("✅ **Yes**: nothing stops you")).toBe("yes");
    expect(firstWordOf("⚠️ **It depends on the version** Qwen3: yes")).toBe("depends");
  });

  it("judges an answer on its first screen: kind, first word, phrases it must and must not show", () => {
    const outcome = judge(bundledKnowledge(), {
      id: "example",
      kind: "clause",
      question: "we're a startup in Lyon, can we use llama 3.2 90B vision in our product?",
      polarity: "may",
      first: "no",
      must: ["Llama 3.2"],
      must_not: ["Llama 4"],
    });
    expect(outcome).toMatchObject({ correct: true, firstWord: "no", polarityError: false, wrongFact: false });
  });
});
