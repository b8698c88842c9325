import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withoutGeneration } from "../src/knowledge/families.ts";
import { LicenceMatcher } from "../src/knowledge/licence-matcher.ts";
import { lookupKey } from "../src/knowledge/normalize.ts";
import { loadKnowledge } from "../src/load/knowledge-loader.ts";
import { copyOfContent } from "./helpers/content-fixture.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const { kb } = bundledKnowledge();

describe("licence strings from the data join registry entries", () => {
  const matcher = LicenceMatcher.forLicences(
    [...kb.licences.values()].map((licence) => ({ ...licence, aliases: [...licence.aliases] })),
  );

  it.each([
    ["Apache 2.0", ["apache-2.0"]],
    ["Apache-2.0", ["apache-2.0"]],
    ["Apache License, Version 2.0", ["apache-2.0"]],
    ["MIT", ["mit"]],
    ["MIT License", ["mit"]],
    ["Llama 3.1 Community License Agreement", ["llama-3.1"]],
    ["llama3.2", ["llama-3.2"]],
    ["CC BY-NC 4.0", ["cc-by-nc-4.0"]],
    ["Apache-2.0 (Qwen3); Qwen License for 72B", ["apache-2.0", "qwen-license"]],
    ["Proprietary (gpt-oss: Apache 2.0)", ["apache-2.0"]],
    ["Proprietary (OpenAI Terms of Use)", ["openai-terms"]],
    ["Gemma Terms of Use", ["gemma-terms"]],
    ["some bespoke research agreement", []],
  ])("%s -> %j", (text, ids) => {
    expect(matcher.match(text).sort()).toEqual([...ids].sort());
  });

  it("every model licence string of the bundled data is matched", () => {
    const unmatched = [...kb.models.values()].filter((model) => model.licenseText && model.licenceIds.length === 0);
    expect(unmatched.map((model) => `${model.slug}: ${model.licenseText}`)).toEqual([]);
  });

  it("spellings that real data uses reach the same licence", () => {
    const { index } = bundledKnowledge();
    const first = (text: string) => index.exact(text, { kinds: ["license"] })[0]?.id;
    expect(first("Apache 2.0")).toBe("apache-2.0");
    expect(first("apache-2.0")).toBe("apache-2.0");
    expect(first("CC BY-NC 4.0")).toBe("cc-by-nc-4.0");
    expect(first("CC-BY-NC-4.0")).toBe("cc-by-nc-4.0");
    expect(first("llama3.1")).toBe("llama-3.1");
    expect(first("Llama 3.1 Community License")).toBe("llama-3.1");
    expect(first("Modified MIT")).toBe("kimi-modified-mit");
    expect(first("MRL")).toBe("mistral-research-license");
  });

  it("licences know the families and models under them", () => {
    expect(kb.licences.get("llama-3.1")?.familyIds).toContain("llama");
    expect(kb.licences.get("apache-2.0")?.modelSlugs.length).toBeGreaterThan(5);
    expect(kb.licences.get("llama-3")?.next).toBe("llama-3.1");
  });
});

describe("family grouping", () => {
  it.each([
    ["qwen3-5", "qwen"],
    ["qwen3", "qwen"],
    ["kimi-k2", "kimi"],
    ["glm-4-5", "glm"],
    ["llama-3-1", "llama"],
    ["gemma3n", "gemma"],
    ["deepseek-v3", "deepseek"],
  ])("the slug %s loses its generation suffix -> %s", (slug, family) => {
    expect(withoutGeneration(slug)).toBe(family);
  });

  it("models of every slug spelling land in their registry family", () => {
    for (const model of kb.models.values()) {
      expect(kb.families.get(model.familyId)?.inRegistry, `${model.slug} (${model.familySlug})`).toBe(true);
    }
  });

  it("a family that exists only in the data is still a family", () => {
    const content = copyOfContent();
    try {
      const models = readFileSync(join(content.dir, "data/models.yaml"), "utf8");
      content.write(
        "data/models.yaml",
        `${models}
  - slug: mystery-7b
    display_name: Mystery 7B
    family: mystery
    developer: Mystery Lab
    openness: open
    license: Apache 2.0
`,
      );
      const mystery = loadKnowledge(content.dir).knowledge!.kb.families.get("mystery");
      expect(mystery?.inRegistry).toBe(false);
      expect(mystery?.modelSlugs).toEqual(["mystery-7b"]);
      expect(mystery?.licenses.map((entry) => entry.licenseId)).toEqual(["apache-2.0"]);
    } finally {
      content.remove();
    }
  });

  it("families carry their site project", () => {
    expect(kb.families.get("qwen")?.projectSlug).toBe("qwen");
  });
});

describe("related terms come from <G> links, both ways", () => {
  it("an entry relates to what it links to", () => {
    const moe = kb.terms.get("mixture-of-experts");
    expect(moe?.related.length).toBeGreaterThan(1);
    for (const slug of moe?.related ?? []) expect(kb.terms.has(slug)).toBe(true);
  });

  it("an entry relates to what links to it", () => {
    const linkers = [...kb.terms.values()]
      .filter((term) => term.related.includes("dense-model"))
      .map((term) => term.slug);
    expect(linkers.length).toBeGreaterThan(0);
    expect(kb.terms.get("dense-model")?.related).toEqual(expect.arrayContaining(linkers));
  });
});

describe("lookup keys", () => {
  it.each([
    ["Llama 3.1", "llama-3.1", "llama3.1", "LLAMA_3_1"],
    ["Quantisation", "quantization", "quantizations", "QUANTIZATION"],
    ["Mixture-of-Experts", "mixture of experts", "mixtures of experts", "MixtureOfExperts"],
    ["Licence", "license", "licenses", "LICENCES"],
    ["open\u200Bweights", "open weights", "open-weight", "Open Weights"],
  ])("%s, %s, %s and %s meet", (a, b, c, d) => {
    const keys = new Set([a, b, c, d].map(lookupKey));
    expect(keys.size).toBe(1);
  });
});

describe("grouping slugs the registry does not list", () => {
  it("a slug that starts with a family id joins it; an unknown lab's slug stays its own family", async () => {
    const { FamilyGrouper } = await import("../src/knowledge/families.ts");
    const { loadContent } = await import("../src/content/load.ts");
    const { BUNDLED_CONTENT_DIR } = await import("../src/load/knowledge-loader.ts");
    const grouper = new FamilyGrouper(
      loadContent({ contentDir: BUNDLED_CONTENT_DIR, registryDir: BUNDLED_CONTENT_DIR }).families,
    );
    expect(grouper.familyOf("mistral-large")).toBe("mistral");
    expect(grouper.familyOf("gpt-oss")).toBe("gpt");
    expect(grouper.familyOf("palm-2")).toBe("palm");
    expect(grouper.ungrouped.get("palm-2")).toBe("palm");
  });
});
