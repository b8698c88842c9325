import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerAsk } from "../src/answers/ask.ts";
import type { AskResult } from "../src/answers/types.ts";
import { loadKnowledge } from "../src/load/knowledge-loader.ts";
import { siteFixture } from "./helpers/site-fixture.ts";

/**
 * On a checkout of the site, its rows add models and fields but never override a licence that a
 * registry release gives: one row for a generation, a distill listed as MIT, a release newer than
 * the registry.
 */
function siteWithRows(): ReturnType<typeof loadKnowledge> {
  const { dir, write } = siteFixture();
  const models = readFileSync(join(dir, "data/models.yaml"), "utf8");
  write(
    "data/models.yaml",
    `${models}
  - slug: qwen2-5-72b-instruct-site
    display_name: Qwen 2.5 72B Instruct
    family: qwen
    developer: Alibaba Cloud
    openness: open-weights
    license: "Qwen License (Apache-2.0 for 72B variant requires agreement)"
    params_total: 72700000000
  - slug: deepseek-r1-distill-llama-70b
    display_name: DeepSeek-R1-Distill-Llama-70B
    family: deepseek
    developer: DeepSeek
    openness: open-weights
    license: MIT
    released_date: '2025-01-20'
  - slug: deepseek-v4-pro
    display_name: DeepSeek-V4 Pro
    family: deepseek-v4
    developer: DeepSeek
    openness: open-weights
    license: MIT
    released_date: '2026-04-24'
`,
  );
  return loadKnowledge(dir);
}

const licenceOf = (answer: AskResult) =>
  answer.type === "licence-of" || answer.type === "clause" ? answer.licence.id : `(${answer.type})`;

describe("facts that stay right on the site's content", () => {
  // The fixture's folder lives as long as one test: each test loads its own checkout.
  const asker = () => {
    const { knowledge } = siteWithRows();
    return (question: string) => answerAsk(knowledge!, question);
  };

  it("a generation's one row does not answer for its other sizes", () => {
    const ask = asker();
    expect(licenceOf(ask("what licence is Qwen2.5-3B under?"))).toBe("qwen-research-license");
    expect(licenceOf(ask("Qwen2.5-7B licence?"))).toBe("apache-2.0");
    expect(licenceOf(ask("Qwen2.5-72B licence?"))).toBe("qwen-license");
    const generation = ask("can we use qwen2.5 commercially?");
    expect(generation.type === "clause" && generation.asker.words).toBe("It depends on the version");
  });

  it("a distill carries its base's licence, whatever the row says", () => {
    const ask = asker();
    expect(licenceOf(ask("DeepSeek-R1-Distill-Llama-70B licence?"))).toBe("llama-3.3");
    expect(licenceOf(ask("what licence is DeepSeek-R1-Distill-Llama-8B under?"))).toBe("llama-3.1");
  });

  it("the newest release is computed over the registry and the site's rows together", () => {
    const ask = asker();
    const newest = ask("what licence is the newest deepseek under?");
    expect(newest.type === "licence-of" && newest.newestOf).toBe("DeepSeek-V4 Pro");
  });
});

describe("facts on any content", () => {
  const { knowledge } = loadKnowledge();
  const ask = (question: string) => answerAsk(knowledge!, question);

  it("CC BY-NC 4.0 is not a licence with a user cap; OpenRAIL-M lists BigCode's variant", () => {
    const capped = ask("which licences have a user cap?");
    expect(capped.type === "list" && capped.items.map((item) => item.ref?.id)).not.toContain("cc-by-nc-4.0");
    const openrail = ask("which models are under openrail-m?");
    expect(openrail.type === "list" && openrail.items.map((item) => item.name).join(" ")).toMatch(/starcoder/i);
  });

  it("gpt-oss ships a one-line use policy beside Apache-2.0", () => {
    const answer = ask("does gpt-oss have a usage policy?");
    expect(answer.type === "clause" && answer.fact.text).toMatch(/applicable law/);
    expect(answer.type === "clause" && answer.asker.words).toBe("Yes, there is");
  });

  it("the Open Source AI Definition is about release facts, not licence approval", () => {
    const olmo = ask("does OLMo meet the OSI's open source AI definition?");
    expect(olmo.type === "osaid" && olmo.meets).toBe(true);
    const qwen = ask("qwen3 is apache, so it's open source AI by OSI's definition?");
    expect(qwen.type === "osaid" && qwen.meets).toBe(false);
  });
});
