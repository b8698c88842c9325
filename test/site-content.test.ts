import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerAsk } from "../src/answers/ask.ts";
import { answerHelp, answerTerm } from "../src/answers/lookups.ts";
import { siteShapedCopy } from "../src/cli/site-shaped.ts";
import { formatIssue } from "../src/content/issues.ts";
import { entryUrl } from "../src/knowledge/urls.ts";
import { loadKnowledge } from "../src/load/knowledge-loader.ts";
import { paramsText } from "../src/payloads/format.ts";
import { siteFixture } from "./helpers/site-fixture.ts";

describe("a checkout shaped like the site", () => {
  it("loads record by record: quirks become warnings, the rest serves", () => {
    const { dir } = siteFixture();
    const loaded = loadKnowledge(dir);
    expect(loaded.errors.map(formatIssue)).toEqual([]);
    const warnings = loaded.warnings.map(formatIssue);
    expect(warnings).toContainEqual(expect.stringMatching(/models\[\d+\]\.params_total: read "70B" as 70000000000/));
    expect(warnings).toContainEqual(
      expect.stringMatching(/models\[\d+\]: record skipped: "openness" is missing or invalid/),
    );
    expect(warnings).toContainEqual(
      expect.stringMatching(/models\[\d+\]: record skipped: "slug" is missing or invalid/),
    );
    expect(warnings).toContainEqual(expect.stringMatching(/broken-entry\.mdx: invalid YAML in front matter/));
    expect(loaded.salvage).toEqual({ coercedFields: 1, droppedFields: 0, skippedRecords: 2 });
    const { kb } = loaded.knowledge!;
    expect(kb.origin).toBe("site");
    expect(kb.models.has("broken-row")).toBe(false);
    expect(kb.terms.get("lora")?.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("parameter counts are numbers of parameters, shown as people say them", () => {
    const { dir } = siteFixture();
    const { kb } = loadKnowledge(dir).knowledge!;
    const seventy = [...kb.models.values()].find((model) => model.paramsTotal === 70_000_000_000);
    expect(seventy && paramsText(seventy)).toBe("70B");
    expect(paramsText(kb.models.get("qwen3-235b-a22b")!)).toBe("235B total, 22B active");
    expect(paramsText(kb.models.get("kimi-k2-instruct")!)).toBe("1T total, 32B active");
  });

  it("the learning tracks are searchable, credited with their page, and linked from glossary terms", () => {
    const { dir } = siteFixture();
    const knowledge = loadKnowledge(dir).knowledge!;
    const answer = answerAsk(knowledge, "why do inference engines keep a kv cache for long contexts?");
    expect(answer.type === "ask" && answer.best.type === "section" && answer.best.section.url).toBe(
      "https://www.open-source-ai.tech/learn/how-llms-work/kv-cache",
    );
    const memory = answerAsk(knowledge, "is there a rough rule for how much memory the weights take?");
    expect(memory.type === "ask" && memory.best.type === "section" && memory.best.section.url).toBe(
      "https://www.open-source-ai.tech/learn/self-host/gpu-memory",
    );
    const term = answerTerm(knowledge, "quantization");
    expect(term.type === "term" && term.term.lessons).toEqual(["how-llms-work/kv-cache#1"]);
  });

  it("/help gives the site's own date, not our registries'", () => {
    const { dir } = siteFixture();
    const help = answerHelp(loadKnowledge(dir).knowledge!);
    expect(help.origin).toBe("site");
    expect(help.contentDate).toBe("2026-11-28");
    expect(help.registryDate).toBe("2026-12-07");
  });
});

describe("values the site spells its own way are mended", () => {
  it("an openness written another way and a summary over the limit", () => {
    const { dir, write } = siteFixture();
    const models = readFileSync(join(dir, "data/models.yaml"), "utf8");
    write("data/models.yaml", models.replace("openness: open-weights", "openness: open weights"));
    const moe = readFileSync(join(dir, "src/content/glossary/mixture-of-experts.mdx"), "utf8");
    write(
      "src/content/glossary/mixture-of-experts.mdx",
      moe.replace(
        /^summary: .*$/m,
        'summary: "Routes each token to a few expert sub-networks. This second sentence pushes the summary well past the thirty words the glossary allows for a summary, as a hand-kept entry sometimes does."',
      ),
    );
    const loaded = loadKnowledge(dir);
    expect(loaded.errors).toEqual([]);
    const warnings = loaded.warnings.map(formatIssue);
    expect(warnings).toContainEqual(expect.stringMatching(/openness: read "open weights" as open-weights/));
    expect(loaded.knowledge!.kb.terms.get("mixture-of-experts")?.summary).toBe(
      "Routes each token to a few expert sub-networks.",
    );
  });
});

describe("our glossary beside a site checkout", () => {
  it("serves the entries the site lacks, linked to where their facts live, never to a missing site page", () => {
    const dir = siteShapedCopy();
    rmSync(join(dir, "src", "content", "glossary", "logits.mdx"));
    const loaded = loadKnowledge(dir, undefined, null);
    const { kb } = loaded.knowledge!;
    const logits = kb.terms.get("logits");
    expect(logits?.onSite).toBe(false);
    expect(entryUrl(kb, { kind: "term", id: "logits" })).not.toContain("/glossary/logits");
    expect(kb.terms.get("sampling")?.onSite).toBe(true);
    expect(entryUrl(kb, { kind: "term", id: "sampling" })).toMatch(/\/glossary\/sampling$/);
    // No alias is claimed twice: the site's entries keep theirs.
    expect(loaded.warnings.filter((warning) => /claimed by both/.test(formatIssue(warning)))).toEqual([]);
  });
});

describe("our how-to entries beside a site checkout that defines the same term", () => {
  it("join as '<term> in practice', and a how-to question gets ours while 'what is' gets the site's", () => {
    const dir = siteShapedCopy();
    writeFileSync(
      join(dir, "src", "content", "glossary", "ollama.mdx"),
      "---\nterm: Ollama\naliases: []\nprimary_layer: runtime\nsummary: The site's own words on Ollama.\n---\nA local runner.\n",
    );
    const knowledge = loadKnowledge(dir, undefined, null).knowledge!;
    expect(knowledge.kb.terms.get("ollama")?.onSite).toBe(true);
    expect(knowledge.kb.terms.get("ollama-in-practice")?.term).toBe("Ollama in practice");
    // An entry that is not a how-to one is still left out where the site has its own.
    expect(knowledge.kb.terms.get("sampling-in-practice")).toBeUndefined();
    const howTo = answerAsk(knowledge, "ollama unloads my model after a few min, how to keep it loaded");
    const what = answerAsk(knowledge, "what is ollama?");
    const slug = (answer: ReturnType<typeof answerAsk>) =>
      answer.type === "ask" && answer.best.type === "term" ? answer.best.term.slug : answer.type;
    expect([slug(howTo), slug(what)]).toEqual(["ollama-in-practice", "ollama"]);
  });
});

describe("two tools named where no lesson answers", () => {
  it("get the first tool's entry, not 'I don't know it'", () => {
    const dir = siteShapedCopy();
    for (const track of ["self-host-modules", "how-llms-work-modules"])
      rmSync(join(dir, "src", "content", track), { recursive: true, force: true });
    const knowledge = loadKnowledge(dir, undefined, null).knowledge!;
    const answer = answerAsk(knowledge, "llama.cpp or vllm for 20 people at work? does it even matter");
    expect(answer.type === "ask" && answer.best.type === "term" ? answer.best.term.slug : answer.type).toBe(
      "llama-cpp",
    );
  });
});
