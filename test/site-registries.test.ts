import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../src/content/issues.ts";
import { loadKnowledge } from "../src/load/knowledge-loader.ts";
import { siteFixture } from "./helpers/site-fixture.ts";

/** The licence strings and family slugs of the site's data, as ../shared/site-content-format.md lists them. */
const SITE_LICENCES = [
  "Proprietary",
  "Apache-2.0",
  "MIT",
  "Llama 3.1 Community License",
  "DeepSeek License",
  "Modified MIT",
  "Llama 3.2 Community License",
  "NVIDIA Open Model License",
  "Llama 3 Community License",
  "Llama 4 Community License",
  "Gemma Terms of Use",
  "Llama 2 Community License",
  "Llama 3.3 Community License",
  "Qwen License (Apache-2.0 for 72B variant requires agreement)",
  "Mistral Research License",
  "Mistral AI Non-Production License (MNPL-0.1)",
  "Apache 2.0",
  "GLM-4 Model License",
  "Falcon-180B TII License",
  "CC BY-NC 4.0",
  "BigCode OpenRAIL-M v1",
  "Tongyi Qianwen License",
  "CC-BY-NC-4.0",
  "Tencent Hunyuan Community License",
];
const SITE_FAMILIES = [
  "claude",
  "llama",
  "deepseek",
  "deepseek-v4",
  "mistral",
  "mistral-medium",
  "mistral-large",
  "qwen",
  "qwen3",
  "qwen3-5",
  "gemma",
  "gpt-4",
  "gpt-5",
  "gpt-3-5",
  "o-series",
  "gemini",
  "gemini-3",
  "grok",
  "olmo",
  "tulu",
  "phi",
  "phi-4",
  "granite",
  "command",
  "kimi",
  "kimi-k2",
  "glm",
  "glm-4",
  "nemotron",
  "yi",
  "falcon",
  "starcoder",
  "apple-foundation",
  "hunyuan",
];

const CLOSED_FAMILIES = new Set([
  "claude",
  "gpt-4",
  "gpt-5",
  "gpt-3-5",
  "o-series",
  "gemini",
  "gemini-3",
  "grok",
  "apple-foundation",
  "mistral-medium",
]);

describe("the registries cover the site's data", () => {
  it("every licence string and family slug the site uses matches a registry entry", () => {
    const { dir, write } = siteFixture();
    const open = SITE_LICENCES.filter((licence) => licence !== "Proprietary");
    const rows = SITE_FAMILIES.map((family, index) => {
      // The site marks its closed models "Proprietary"; the others carry one of its licence strings.
      const proprietary = CLOSED_FAMILIES.has(family);
      const licence = proprietary ? "Proprietary" : open[index % open.length]!;
      return `  - slug: site-${family}-${index}
    display_name: Site model ${index}
    family: ${family}
    developer: Somebody
    openness: ${proprietary ? "proprietary" : "open-weights"}
    license: "${licence}"
`;
    });
    const extra = SITE_LICENCES.map(
      (licence, index) => `  - slug: site-licence-${index}
    display_name: Licence probe ${index}
    family: llama
    developer: Somebody
    openness: open-weights
    license: "${licence}"
`,
    ).filter((_, index) => SITE_LICENCES[index] !== "Proprietary");
    const models = readFileSync(join(dir, "data/models.yaml"), "utf8");
    write("data/models.yaml", `${models}${rows.join("")}${extra.join("")}`);
    const loaded = loadKnowledge(dir);
    expect(loaded.errors.map(formatIssue)).toEqual([]);
    const unmatched = loaded.warnings
      .map(formatIssue)
      .filter((line) => /matches no registry (licence|family)/.test(line));
    expect(unmatched).toEqual([]);
    const { kb } = loaded.knowledge!;
    for (const [index, family] of SITE_FAMILIES.entries()) {
      const model = kb.models.get(`site-${family}-${index}`)!;
      expect(kb.families.get(model.familyId)?.inRegistry, family).toBe(true);
      expect(model.licenceIds.length, `${family}: ${model.licenseText}`).toBeGreaterThan(0);
    }
  });
});
