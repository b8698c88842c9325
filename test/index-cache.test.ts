import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { answerAsk } from "../src/answers/ask.ts";
import { askKey } from "../src/answers/ask-eval.ts";
import { loadKnowledge } from "../src/load/knowledge-loader.ts";

describe("the built search index is kept between starts", () => {
  it("a second start loads it and answers exactly as a fresh build does", () => {
    const dir = mkdtempSync(join(tmpdir(), "stackbot-cache-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const cacheFile = join(dir, "mdx.json");
    const built = loadKnowledge(undefined, undefined, cacheFile).knowledge!;
    expect(readdirSync(dir).filter((name) => name.startsWith("index-"))).toHaveLength(1);
    const loaded = loadKnowledge(undefined, undefined, cacheFile).knowledge!;
    const fresh = loadKnowledge(undefined, undefined, null).knowledge!;
    for (const question of [
      "can I train another model on llama outputs?",
      "what is gguf",
      "which families release their training data?",
      "quen commercial use?",
      "what's the weather tomorrow",
    ]) {
      const expected = askKey(answerAsk(fresh, question));
      expect(askKey(answerAsk(built, question)), question).toBe(expected);
      expect(askKey(answerAsk(loaded, question)), question).toBe(expected);
    }
    expect(loaded.index.knowsWord("quantization")).toBe(true);
  });
});
