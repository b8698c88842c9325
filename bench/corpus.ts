/**
 * A checkout-sized corpus: the bundled content plus synthetic glossary entries, models and projects
 * (about 10x the bundled numbers), valid per docs/content-schema.md. The registries (licences,
 * families) stay as they are. Deterministic: the same seed writes the same files.
 */
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load as parseYaml } from "js-yaml";
import { LAYER_SLUGS } from "../src/content/schemas.ts";
import { lookupKey } from "../src/knowledge/normalize.ts";
import { BUNDLED_CONTENT_DIR } from "../src/load/knowledge-loader.ts";
import { rng } from "./random.ts";

export interface CorpusSize {
  glossary: number;
  models: number;
  projects: number;
}

export const LARGE_CORPUS: CorpusSize = { glossary: 600, models: 350, projects: 100 };
/** About the size of the site itself: 175 glossary entries, 115+ models, 120+ projects. */
export const SITE_CORPUS: CorpusSize = { glossary: 112, models: 80, projects: 112 };
/** The site's two learning tracks and their lesson counts. */
const LESSON_TRACKS = [
  ["how-llms-work", 14],
  ["self-host", 7],
] as const;

type Random = ReturnType<typeof rng>;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const q = (text: string) => JSON.stringify(text);
const slugify = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

// --- glossary ----------------------------------------------------------------------------------

const ADJECTIVES = [
  "sparse",
  "adaptive",
  "streaming",
  "hierarchical",
  "contrastive",
  "federated",
  "speculative",
  "paged",
  "rotary",
  "grouped",
  "sliding",
  "causal",
  "latent",
  "residual",
  "structured",
  "dynamic",
  "progressive",
  "multi-token",
  "cross-lingual",
  "low-latency",
  "memory-efficient",
  "mixed-precision",
  "block-wise",
  "layer-wise",
  "token-level",
  "instruction-aware",
  "curriculum",
  "bidirectional",
  "elastic",
  "asynchronous",
];

const NOUNS = [
  "attention window",
  "gradient clipping",
  "token routing",
  "prefix tuning",
  "weight sharding",
  "beam search",
  "reward shaping",
  "data deduplication",
  "tensor parallelism",
  "pipeline parallelism",
  "kv cache",
  "loss scaling",
  "prompt caching",
  "activation checkpointing",
  "model merging",
  "logit bias",
  "batch scheduling",
  "positional encoding",
  "vocabulary pruning",
  "expert balancing",
  "sequence packing",
  "learning-rate warmup",
  "layer normalisation",
  "dropout schedule",
  "decoding strategy",
  "evaluation harness",
  "red teaming",
  "output watermarking",
  "data filtering",
  "preference dataset",
];

const PURPOSES = [
  "cuts the memory a run needs",
  "keeps long inputs affordable",
  "spreads work across several accelerators",
  "makes training more stable",
  "reduces the cost of serving many users",
  "improves answers on rare languages",
  "keeps the model from repeating itself",
  "lets small teams adapt large models",
  "makes evaluation results easier to compare",
  "limits how much unsafe text gets through",
];

const AREAS = ["training", "inference", "data preparation", "evaluation", "fine-tuning", "serving", "pretraining"];

const AGREED_SLUGS = [
  "mixture-of-experts",
  "dense-model",
  "quantization",
  "gguf",
  "open-weights",
  "fine-tuning",
  "lora",
  "pretraining",
  "post-training",
  "rlhf",
  "knowledge-distillation",
  "base-model",
  "instruct-model",
  "context-window",
  "parameters",
  "tokenizer",
  "transformer",
  "inference",
  "checkpoint",
  "model-card",
  "attention",
  "embedding",
  "training-data",
  "synthetic-data",
  "benchmark",
  "model-weights",
];

const SENTENCES: ((link: (slug: string) => string, name: string, random: Random) => string)[] = [
  (link, name, random) =>
    `${cap(name)} shows up mostly in ${link(pick(random, AGREED_SLUGS))}, where memory and time are tight.`,
  (link) => `Teams report the largest gains on long inputs, because the cost grows with the ${link("context-window")}.`,
  (link, _name, random) =>
    `It is often combined with ${link(pick(random, AGREED_SLUGS))} and described in the model card next to the training recipe.`,
  (_link, _name, random) =>
    `The idea is old, but it became common practice in ${2019 + Math.floor(random() * 7)} once open models grew past a few billion parameters.`,
  (link, _name, random) =>
    `A typical setup touches only part of the network, so the rest of the ${link(pick(random, ["model-weights", "checkpoint", "parameters"]))} stays as it was.`,
  (_link, name, random) =>
    `Critics point out that ${name} ${pick(random, PURPOSES)} only when the batch is large enough, and small deployments see little benefit.`,
  (link, _name, random) =>
    `Open implementations exist in most serving stacks, and several ${link(pick(random, ["benchmark", "open-weights", "base-model"]))} reports now list it explicitly.`,
  (_link, name, random) =>
    `Papers that introduced ${name} measured it on ${pick(random, ["translation", "code generation", "long-document question answering", "chat", "summarisation"])} first.`,
  (link, _name, random) =>
    `Because it changes how ${link(pick(random, ["tokenizer", "embedding", "attention", "transformer"]))} layers behave, results should be checked again after any change.`,
  (_link, _name, random) =>
    `Settings are usually tuned by hand: a value that works for ${pick(random, ["7B", "13B", "70B", "405B"])} models rarely carries over unchanged.`,
];

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function existingTermKeys(contentDir: string): Set<string> {
  const keys = new Set<string>();
  const dir = join(contentDir, "glossary");
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".mdx"))) {
    const text = readFileSync(join(dir, file), "utf8");
    const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
    const data = (parseYaml(front) ?? {}) as { term?: string; aliases?: unknown[] };
    keys.add(lookupKey(file.replace(/\.mdx$/, "")));
    if (data.term) keys.add(lookupKey(data.term));
    for (const alias of data.aliases ?? []) keys.add(lookupKey(String(alias)));
  }
  return keys;
}

function writeGlossary(dir: string, count: number, random: Random): number {
  const used = existingTermKeys(dir);
  const combos = ADJECTIVES.flatMap((adjective) => NOUNS.map((noun) => `${adjective} ${noun}`));
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [combos[i], combos[j]] = [combos[j]!, combos[i]!];
  }
  const chosen = combos.filter((name) => !used.has(lookupKey(name))).slice(0, count);
  const slugs = chosen.map(slugify);
  chosen.forEach((name, index) => {
    const slug = slugs[index]!;
    used.add(lookupKey(name));
    const acronym = name
      .split(/[\s-]+/)
      .map((word) => word[0])
      .join("")
      .toUpperCase();
    const aliases: string[] = [];
    if (acronym.length >= 3 && !used.has(lookupKey(acronym))) {
      used.add(lookupKey(acronym));
      aliases.push(acronym);
    }
    const [adjective] = name.split(" ");
    const variant = `${name.slice(adjective!.length + 1)} (${adjective})`;
    if (!used.has(lookupKey(variant))) {
      used.add(lookupKey(variant));
      aliases.push(variant);
    }
    const area = pick(random, AREAS);
    const summary = `${cap(name)}: a ${area} technique that ${pick(random, PURPOSES)}, at the price of extra tuning and some added complexity.`;
    const primary = pick(random, LAYER_SLUGS);
    const secondary = [...new Set([pick(random, LAYER_SLUGS), pick(random, LAYER_SLUGS)])].filter((s) => s !== primary);
    const link = (target: string) => `<G term="${target}">${target.replace(/-/g, " ")}</G>`;
    const sibling = slugs[(index + 1 + Math.floor(random() * (slugs.length - 1))) % slugs.length]!;
    const paragraphs: string[] = [];
    const paragraphCount = 2 + Math.floor(random() * 3);
    for (let p = 0; p < paragraphCount; p++) {
      const sentences = [];
      for (let s = 0; s < 3 + Math.floor(random() * 2); s++)
        sentences.push(pick(random, SENTENCES)(link, name, random));
      paragraphs.push(sentences.join(" "));
    }
    paragraphs[0] = `${cap(name)} is a ${area} technique that ${pick(random, PURPOSES)}. ${paragraphs[0]} See also ${link(sibling)}.`;
    const text = [
      "---",
      `term: ${q(cap(name))}`,
      `aliases: [${aliases.map(q).join(", ")}]`,
      `primary_layer: ${primary}`,
      `secondary_layers: [${secondary.join(", ")}]`,
      `summary: ${q(summary)}`,
      "sources:",
      `  - title: ${q(`${cap(name)} (synthetic benchmark entry)`)}`,
      `    url: "https://example.org/glossary/${slug}"`,
      "updated: '2026-11-27'",
      "---",
      paragraphs.join("\n\n"),
      "",
    ].join("\n");
    writeFileSync(join(dir, "glossary", `${slug}.mdx`), text);
  });
  return chosen.length;
}

// --- models ------------------------------------------------------------------------------------

interface SyntheticFamily {
  slug: string;
  name: string;
  developer: string;
  country: string;
  org: string;
  licences: string[];
  /** New families get a weights project so the site data names them. */
  project?: string;
}

const FAMILIES: SyntheticFamily[] = [
  {
    slug: "qwen3",
    name: "Qwen3",
    developer: "Alibaba Cloud (Qwen team)",
    country: "China",
    org: "Qwen",
    licences: ["Apache-2.0", "Apache 2.0"],
  },
  {
    slug: "qwen2-5",
    name: "Qwen2.5",
    developer: "Alibaba Cloud (Qwen team)",
    country: "China",
    org: "Qwen",
    licences: ["Qwen License", "Apache 2.0", "Qwen Research License"],
  },
  {
    slug: "llama-3-1",
    name: "Llama-3.1",
    developer: "Meta",
    country: "United States",
    org: "meta-llama",
    licences: ["Llama 3.1 Community License"],
  },
  {
    slug: "llama-4",
    name: "Llama-4",
    developer: "Meta",
    country: "United States",
    org: "meta-llama",
    licences: ["Llama 4 Community License"],
  },
  {
    slug: "mistral",
    name: "Mistral",
    developer: "Mistral AI",
    country: "France",
    org: "mistralai",
    licences: ["Apache 2.0", "Mistral Research License (MRL)"],
  },
  {
    slug: "mixtral",
    name: "Mixtral",
    developer: "Mistral AI",
    country: "France",
    org: "mistralai",
    licences: ["Apache 2.0"],
  },
  {
    slug: "gemma-3",
    name: "Gemma-3",
    developer: "Google DeepMind",
    country: "United States",
    org: "google",
    licences: ["Gemma Terms of Use"],
  },
  {
    slug: "deepseek-v3",
    name: "DeepSeek-V3",
    developer: "DeepSeek",
    country: "China",
    org: "deepseek-ai",
    licences: ["MIT", "DeepSeek License"],
  },
  {
    slug: "glm-4",
    name: "GLM-4",
    developer: "Zhipu AI (Z.ai)",
    country: "China",
    org: "zai-org",
    licences: ["MIT License"],
  },
  {
    slug: "olmo-2",
    name: "OLMo-2",
    developer: "Allen Institute for AI (Ai2)",
    country: "United States",
    org: "allenai",
    licences: ["Apache 2.0"],
  },
  {
    slug: "granite",
    name: "Granite",
    developer: "IBM",
    country: "United States",
    org: "ibm-granite",
    licences: ["Apache 2.0"],
  },
  {
    slug: "pythia",
    name: "Pythia",
    developer: "EleutherAI",
    country: "United States",
    org: "EleutherAI",
    licences: ["Apache-2.0"],
  },
  {
    slug: "kimi-k2",
    name: "Kimi-K2",
    developer: "Moonshot AI",
    country: "China",
    org: "moonshotai",
    licences: ["Modified MIT"],
  },
  {
    slug: "falcon",
    name: "Falcon",
    developer: "Technology Innovation Institute",
    country: "United Arab Emirates",
    org: "tiiuae",
    licences: ["Apache 2.0", "Falcon LLM License"],
    project: "Falcon",
  },
  {
    slug: "phi-3",
    name: "Phi-3",
    developer: "Microsoft",
    country: "United States",
    org: "microsoft",
    licences: ["MIT"],
    project: "Phi",
  },
  {
    slug: "yi",
    name: "Yi",
    developer: "01.AI",
    country: "China",
    org: "01-ai",
    licences: ["Apache 2.0"],
    project: "Yi",
  },
  {
    slug: "internlm",
    name: "InternLM",
    developer: "Shanghai AI Laboratory",
    country: "China",
    org: "internlm",
    licences: ["Apache-2.0"],
    project: "InternLM",
  },
  {
    slug: "starcoder2",
    name: "StarCoder2",
    developer: "BigCode",
    country: "France",
    org: "bigcode",
    licences: ["BigCode OpenRAIL-M"],
    project: "StarCoder",
  },
  {
    slug: "command-r",
    name: "Command-R",
    developer: "Cohere",
    country: "Canada",
    org: "CohereForAI",
    licences: ["CC-BY-NC-4.0"],
    project: "Command R",
  },
  {
    slug: "jamba",
    name: "Jamba",
    developer: "AI21 Labs",
    country: "Israel",
    org: "ai21labs",
    licences: ["Apache 2.0"],
    project: "Jamba",
  },
  {
    slug: "nemotron",
    name: "Nemotron",
    developer: "NVIDIA",
    country: "United States",
    org: "nvidia",
    licences: ["NVIDIA Open Model License"],
    project: "Nemotron",
  },
  {
    slug: "smollm",
    name: "SmolLM",
    developer: "Hugging Face",
    country: "France",
    org: "HuggingFaceTB",
    licences: ["Apache 2.0"],
    project: "SmolLM",
  },
  {
    slug: "minicpm",
    name: "MiniCPM",
    developer: "OpenBMB",
    country: "China",
    org: "openbmb",
    licences: ["Apache-2.0"],
    project: "MiniCPM",
  },
  {
    slug: "exaone",
    name: "EXAONE",
    developer: "LG AI Research",
    country: "South Korea",
    org: "LGAI-EXAONE",
    licences: ["EXAONE AI Model License"],
    project: "EXAONE",
  },
];

const SIZES = [0.5, 1, 1.5, 3, 4, 7, 8, 9, 12, 13, 14, 22, 27, 32, 34, 40, 70, 72, 104, 141, 236, 405];
const VARIANTS = ["", "-Instruct", "-Chat", "-Base", "-Coder", "-Math", "-Vision", "-Reasoning", "-Long"];
const TAGS = ["", "-2407", "-2501", "-v0.2", "-v1.1", "-2509"];

function existingModelKeys(contentDir: string): Set<string> {
  const data = parseYaml(readFileSync(join(contentDir, "data", "models.yaml"), "utf8")) as {
    models: { slug: string; display_name: string }[];
  };
  return new Set(data.models.flatMap((model) => [lookupKey(model.slug), lookupKey(model.display_name)]));
}

function appendModels(dir: string, count: number, random: Random): number {
  const used = existingModelKeys(dir);
  const lines: string[] = ["", "  # ---------------- synthetic rows (bench/corpus.ts) ----------------"];
  let written = 0;
  for (let attempt = 0; written < count && attempt < count * 50; attempt++) {
    const family = pick(random, FAMILIES);
    const size = pick(random, SIZES);
    const display = `${family.name}-${size}B${pick(random, VARIANTS)}${pick(random, TAGS)}`;
    const slug = slugify(display);
    if (used.has(lookupKey(display)) || used.has(lookupKey(slug))) continue;
    used.add(lookupKey(display));
    used.add(lookupKey(slug));
    const moe = size >= 100 && random() < 0.6;
    const licence = pick(random, family.licences);
    const permissive = /apache|mit/i.test(licence) && !/modified/i.test(licence);
    const year = 2023 + Math.floor(random() * 4);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const date = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    lines.push(
      `  - slug: ${slug}`,
      `    display_name: ${q(display)}`,
      `    family: ${family.slug}`,
      `    developer: ${q(family.developer)}`,
      `    developer_country: ${q(family.country)}`,
      `    type: ${display.includes("Vision") ? "multimodal" : display.includes("Coder") ? "code" : "llm"}`,
      `    released_date: '${date}'`,
      `    openness: ${permissive && random() < 0.1 ? "open" : "open-weights"}`,
      `    license: ${q(licence)}`,
      `    osi_approved: ${permissive}`,
      `    data_released: ${random() < 0.1}`,
      `    training_code_released: ${random() < 0.15}`,
      "    training_logs_released: false",
      `    architecture: ${moe ? "moe" : "dense"}`,
      // The site writes parameter counts as plain numbers of parameters.
      `    params_total: ${size * 1_000_000_000}`,
      `    params_active: ${moe ? Math.round(size / 8) * 1_000_000_000 : "null"}`,
      `    post_training: ${q(`${display.includes("Base") ? "Base checkpoint only" : "Instruction-tuned with SFT and preference optimisation"}; released ${date}.`)}`,
      `    release_context: ${q(`A ${size}B member of the ${family.name} line from ${family.developer}.`)}`,
      "    notable_innovations:",
      `      - ${q(`${pick(random, ADJECTIVES)} ${pick(random, NOUNS)} in the ${moe ? "expert" : "attention"} layers`)}`,
      "    sources:",
      `      - { title: ${q(`${display} model card`)}, url: "https://huggingface.co/${family.org}/${display}" }`,
    );
    written++;
  }
  appendFileSync(join(dir, "data", "models.yaml"), `${lines.join("\n")}\n`);
  return written;
}

// --- projects ----------------------------------------------------------------------------------

const PROJECT_HEADS = ["Flash", "Turbo", "Open", "Deep", "Quick", "Nano", "Hyper", "Lang", "Vector", "Graph"];
const PROJECT_TAILS = ["Serve", "Infer", "Index", "Agent", "Guard", "Eval", "Router", "Store", "Forge", "Kit"];
const PROJECT_LICENCES = [
  "Apache 2.0",
  "Apache-2.0",
  "MIT",
  "MIT License",
  "BSD-3-Clause",
  "AGPL-3.0",
  "Proprietary",
  "Elastic License 2.0",
];
const NON_WEIGHT_LAYERS = LAYER_SLUGS.filter((slug) => slug !== "weights");

function appendProjects(dir: string, count: number, random: Random): number {
  const lines: string[] = ["", "  # ---------------- synthetic rows (bench/corpus.ts) ----------------"];
  let written = 0;
  for (const family of FAMILIES.filter((candidate) => candidate.project)) {
    lines.push(
      `  - slug: ${family.slug}`,
      `    name: ${q(family.project!)}`,
      "    layers: [weights]",
      `    license: ${q(family.licences.join("; "))}`,
      "    focus: open",
      "    maturity: production",
      `    url: "https://huggingface.co/${family.org}"`,
      `    description: ${q(`${family.developer}'s open-weight ${family.project} models.`)}`,
    );
    written++;
  }
  for (const head of PROJECT_HEADS) {
    for (const tail of PROJECT_TAILS) {
      if (written >= count) break;
      const name = `${head}${tail}`;
      const layers = [...new Set([pick(random, NON_WEIGHT_LAYERS), pick(random, NON_WEIGHT_LAYERS)])];
      const licence = pick(random, PROJECT_LICENCES);
      lines.push(
        `  - slug: ${slugify(name)}`,
        `    name: ${q(name)}`,
        `    layers: [${layers.join(", ")}]`,
        `    license: ${q(licence)}`,
        `    focus: ${licence === "Proprietary" ? "proprietary" : licence.startsWith("Elastic") ? "source-available" : "open"}`,
        `    maturity: ${pick(random, ["production", "beta", "experimental"])}`,
        `    url: "https://example.org/${slugify(name)}"`,
        `    description: ${q(`${name} is a ${layers[0]} tool that ${pick(random, PURPOSES)}.`)}`,
      );
      written++;
    }
  }
  appendFileSync(join(dir, "data", "projects.yaml"), `${lines.join("\n")}\n`);
  return written;
}

// --- entry point -------------------------------------------------------------------------------

export interface GeneratedCorpus {
  dir: string;
  added: CorpusSize;
}

/** Copies content/ to a temp dir and adds the synthetic entries. */
export function generateCorpus(size: CorpusSize = LARGE_CORPUS, seed = 20261127): GeneratedCorpus {
  const dir = mkdtempSync(join(tmpdir(), "stackbot-bench-corpus-"));
  cpSync(BUNDLED_CONTENT_DIR, dir, { recursive: true });
  const random = rng(seed);
  const added = {
    glossary: writeGlossary(dir, size.glossary, random),
    models: appendModels(dir, size.models, random),
    projects: appendProjects(dir, size.projects, random),
  };
  return { dir, added };
}

/**
 * A checkout shaped like the site's repository and about its size: `src/content/` (layers,
 * glossary, news and both learning tracks, lessons of a few thousand characters without headings)
 * and `data/`.
 */
export function generateSiteCorpus(seed = 20261129): GeneratedCorpus {
  const generated = generateCorpus(SITE_CORPUS, seed);
  const { dir } = generated;
  const contentRoot = join(dir, "src", "content");
  mkdirSync(contentRoot, { recursive: true });
  for (const collection of ["layers", "glossary", "news"])
    renameSync(join(dir, collection), join(contentRoot, collection));
  const random = rng(seed);
  const terms = readdirSync(join(contentRoot, "glossary")).map((file) => file.replace(/\.mdx$/, ""));
  const link = (target: string) => `<G term="${target}">${target.replace(/-/g, " ")}</G>`;
  for (const [track, count] of LESSON_TRACKS) {
    mkdirSync(join(contentRoot, `${track}-modules`), { recursive: true });
    for (let order = 1; order <= count; order++) {
      const title = `${cap(pick(random, ADJECTIVES))} ${pick(random, NOUNS)} in practice`;
      const paragraphs = Array.from({ length: 8 + Math.floor(random() * 6) }, () =>
        Array.from({ length: 4 }, () =>
          pick(random, SENTENCES)(link, pick(random, terms).replace(/-/g, " "), random),
        ).join(" "),
      );
      writeFileSync(
        join(contentRoot, `${track}-modules`, `lesson-${order}.mdx`),
        [
          "---",
          `slug: lesson-${order}`,
          `order: ${order}`,
          `title: ${q(title)}`,
          `one_liner: ${q(`What ${title.toLowerCase()} means for running open models.`)}`,
          "updated: 2026-11-28",
          "---",
          'import Figure from "../../components/Figure.astro";',
          "",
          paragraphs.join("\n\n"),
          "",
        ].join("\n"),
      );
    }
  }
  return { dir, added: { ...generated.added, lessons: 21 } as CorpusSize };
}

export function removeCorpus(dir: string): void {
  if (dir.startsWith(tmpdir())) rmSync(dir, { recursive: true, force: true });
}
