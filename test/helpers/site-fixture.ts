import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { onTestFinished } from "vitest";
import { siteShapedCopy } from "../../src/cli/site-shaped.ts";

/**
 * A checkout shaped like the site's repository (`src/content/...` and `data/`), built from the
 * bundled content, with the quirks of real hand-kept data: a count written with a unit, dates in
 * both YAML forms, fields the bot does not know, a missing optional field, a bad row among good
 * ones, a broken file, and the two learning tracks with lessons that have no `##` headings.
 */
export function siteFixture(): { dir: string; write: (path: string, text: string) => void } {
  const dir = siteShapedCopy();
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  // The fixture's own lessons stand for the site's: the bundled ones are left out.
  for (const track of ["how-llms-work-modules", "self-host-modules"])
    rmSync(join(dir, "src", "content", track), { recursive: true, force: true });
  // The site's dates are its own: no copied entry is newer than the fixture's newest lesson.
  const glossaryDir = join(dir, "src", "content", "glossary");
  for (const name of readdirSync(glossaryDir)) {
    const file = join(glossaryDir, name);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^updated: '2026-12-\d\d'$/m, "updated: '2026-11-20'"));
  }
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  const models = readFileSync(join(dir, "data", "models.yaml"), "utf8")
    // A count written with a unit, as one row of the real data has it.
    .replace("params_total: 70000000000", "params_total: '70B'")
    // Unknown fields are ignored.
    .replace(
      "  - slug: pythia-12b\n",
      "  - slug: pythia-12b\n    benchmarks: { mmlu: 0.27 }\n    lineage: [gpt-neox]\n",
    );
  write(
    "data/models.yaml",
    `${models}
  - slug: broken-row
    display_name: A row with a bad value
    family: llama
    developer: Nobody
    openness: something-else
    license: MIT
  - display_name: A row without its slug
    family: qwen
    openness: open
`,
  );
  // The same date written unquoted (a YAML date) in one glossary entry.
  const lora = readFileSync(join(dir, "src/content/glossary/lora.mdx"), "utf8");
  write("src/content/glossary/lora.mdx", lora.replace(/updated: '(\d{4}-\d{2}-\d{2})'/, "updated: $1"));
  // A broken file among good ones.
  write("src/content/glossary/broken-entry.mdx", "---\nterm: [unclosed\n---\nBody.\n");
  write(
    "src/content/how-llms-work-modules/kv-cache.mdx",
    `---
slug: kv-cache
order: 6
title: The KV cache
one_liner: Why generating the next token does not recompute the whole prompt.
updated: 2026-11-28
---
import Figure from "../../components/Figure.astro";

When a model writes text it produces one token at a time, and each new token attends to every earlier one. Recomputing the keys and values of the whole prompt for each step would waste most of the work, so inference engines keep them in a key-value cache.

<Figure />

The cache grows with the context: every layer stores a key and a value vector per token. For long contexts it can take more memory than the <G term="parameters">parameters</G> themselves, which is why engines page it, share it across requests, or store it at lower precision with <G term="quantization">quantization</G>.

Grouped-query attention shrinks it by letting several query heads share one key and value head.
`,
  );
  write(
    "src/content/self-host-modules/gpu-memory.mdx",
    `---
slug: gpu-memory
order: 1
title: GPU memory math
one_liner: How much memory a model needs to run.
updated: '2026-11-27'
---
A rough rule: the weights take the number of parameters times the bytes per parameter. A 70B model in 16-bit precision needs about 140 GB for its weights alone; at 4 bits about 35 GB. Add room for the KV cache and activations.
`,
  );
  return { dir, write };
}
