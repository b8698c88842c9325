import { z } from "zod";

// Zod objects strip unknown keys by default: the site adds fields over time and they must never
// be rejected.

export const LAYER_SLUGS = [
  "infrastructure",
  "silicon",
  "compute",
  "data",
  "training",
  "weights",
  "runtime",
  "retrieval-memory",
  "agents",
  "protocols",
  "evaluation",
  "governance",
  "identity-trust",
  "safety-guardrails",
  "sovereignty-decentralization",
] as const;

/** YAML gives a Date for unquoted dates and a string for quoted ones; both become `YYYY-MM-DD`. */
export const isoDate = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
    ctx.addIssue({
      code: "custom",
      message: `expected a date YYYY-MM-DD, got "${text}"`,
    });
    return z.NEVER;
  }
  return text;
});

const nonEmpty = z.string().trim().min(1);
const url = z.url();
const stringList = z.array(nonEmpty).default([]);

export const sourceSchema = z.object({ title: nonEmpty, url });
export type Source = z.infer<typeof sourceSchema>;

const layerSlug = z.enum(LAYER_SLUGS);

export const glossaryFrontMatter = z.object({
  term: nonEmpty,
  aliases: z
    .array(z.coerce.string().trim().min(1))
    .nullish()
    .transform((v) => v ?? []),
  primary_layer: layerSlug,
  secondary_layers: z
    .array(layerSlug)
    .nullish()
    .transform((v) => v ?? []),
  summary: nonEmpty.refine((text) => text.split(/\s+/).length <= 30, "summary is longer than 30 words"),
  sources: z.array(sourceSchema).default([]),
  updated: isoDate.optional(),
  /**
   * Ours only: the entry is mostly how-to (flags, settings), so where a site checkout defines the
   * same term, it joins beside the site's as "<term> in practice" instead of being left out.
   */
  practice: z.boolean().default(false),
});
export type GlossaryFrontMatter = z.infer<typeof glossaryFrontMatter>;

export const layerFrontMatter = z.object({
  slug: layerSlug,
  title: nonEmpty,
  short_description: z.string().default(""),
  tier: z.enum(["core", "meta"]),
  order: z.number().int(),
  lock_in_vector: z.string().nullish(),
  sovereignty_relevance: z.number().int().min(1).max(5).optional(),
  related_layers: z.array(z.string()).default([]),
  updated: isoDate.optional(),
  probe_primer: z.array(z.string()).default([]),
});
export type LayerFrontMatter = z.infer<typeof layerFrontMatter>;

/** A lesson of the "How LLMs work" or self-hosting track. */
export const lessonFrontMatter = z.object({
  slug: z.string().optional(),
  order: z.number().int().default(0),
  title: nonEmpty,
  one_liner: z.string().default(""),
  sources: z.array(sourceSchema).default([]),
  updated: isoDate.optional(),
});
export type LessonFrontMatter = z.infer<typeof lessonFrontMatter>;

export const newsFrontMatter = z.object({
  date: isoDate,
  editorial_letter: z.string().default(""),
  item_count: z.number().int().min(0).default(0),
  layer_buckets: z.record(z.string(), z.number()).default({}),
});
export type NewsFrontMatter = z.infer<typeof newsFrontMatter>;

const layerListItem = z.object({
  slug: layerSlug,
  order: z.number().int(),
  title: nonEmpty,
  short_description: z.string().default(""),
  lock_in_vector: z.string().nullish(),
});
export const layersFile = z.object({
  core: z.array(layerListItem).default([]),
  meta: z.array(layerListItem).default([]),
});
export type LayerListItem = z.infer<typeof layerListItem>;

export const projectSchema = z.object({
  slug: nonEmpty,
  name: nonEmpty,
  layers: z.array(z.string()).default([]),
  license: z.coerce.string().default(""),
  focus: z.enum(["open", "source-available", "proprietary"]).catch("open"),
  maturity: z.coerce.string().optional(),
  url: z.string().optional(),
  description: z.string().default(""),
  explainer: z.string().optional(),
  sources: z.array(sourceSchema).default([]),
  github: z.string().nullish(),
});
export const projectsFile = z.object({ projects: z.array(projectSchema) });
export type Project = z.infer<typeof projectSchema>;

/** A count of parameters as a plain number (70600000000); 0 or null where undisclosed. */
const parameterCount = z
  .number()
  .nonnegative()
  .nullish()
  .transform((v) => (v ? v : null));
/** A whole number of layers, heads or bytes; absent where the model card does not say. */
const positiveCount = z.number().int().positive().nullish();

export const modelSchema = z.object({
  slug: z.coerce.string().trim().min(1),
  display_name: nonEmpty,
  family: z.coerce.string().trim().min(1),
  developer: z.string().default(""),
  developer_country: z.string().nullish(),
  type: z.string().nullish(),
  released_date: isoDate.nullish(),
  openness: z.enum(["open", "open-weights", "source-available", "proprietary"]),
  license: z.coerce.string().default(""),
  osi_approved: z.boolean().default(false),
  data_released: z.boolean().default(false),
  training_code_released: z.boolean().default(false),
  training_logs_released: z.boolean().default(false),
  architecture: z.string().nullish(),
  params_total: parameterCount,
  params_active: parameterCount,
  context_window: z.union([z.number(), z.string()]).nullish(),
  // What a memory estimate needs; the site fills these for a few models and estimates the rest.
  attention_variant: z.string().trim().toLowerCase().nullish(),
  layers_count: positiveCount,
  kv_heads: positiveCount,
  head_dim: positiveCount,
  hidden_size: positiveCount,
  kv_bytes_per_token_fp16: positiveCount,
  quantizations_available: z.array(z.coerce.string()).nullish(),
  post_training: z.unknown().optional(),
  release_context: z.string().nullish(),
  notable_innovations: z.unknown().optional(),
  sources: z.array(sourceSchema).default([]),
});
export const modelsFile = z.object({ models: z.array(modelSchema) });
export type ModelRow = z.infer<typeof modelSchema>;

export const HARDWARE_CLASSES = ["datacenter", "workstation", "apple-unified", "x86-unified", "ai-pc"] as const;
export const INTERCONNECTS = ["nvlink", "nvswitch", "pcie", "infinity-fabric", "none"] as const;

/** One accelerator of the site's catalogue (`data/hardware.yaml`): every figure is per unit. */
export const hardwareSchema = z.object({
  slug: nonEmpty,
  name: nonEmpty,
  vendor: z.string().default(""),
  class: z.enum(HARDWARE_CLASSES),
  memory_capacity_gb: z.number().positive(),
  memory_type: z.string().nullish(),
  memory_bandwidth_gbs: z.number().positive(),
  compute: z
    .object({
      fp16_dense_tflops: z.number().positive().nullish(),
      fp8_dense_tflops: z.number().positive().nullish(),
      fp4_dense_tflops: z.number().positive().nullish(),
      int8_dense_tops: z.number().positive().nullish(),
    })
    .nullish(),
  form_factor: z.string().nullish(),
  power_w: z.number().nullish(),
  interconnect: z.enum(INTERCONNECTS).catch("none"),
  multi_unit_default: z.number().int().positive().default(1),
  release_date: z.coerce.string().nullish(),
  url: z.string().nullish(),
  notes: z.string().nullish(),
  sources: z.array(sourceSchema).default([]),
  // Ours, not the site's: what people type for it, when it was checked, what is unsure.
  aliases: z.array(z.coerce.string().trim().min(1)).default([]),
  checked: isoDate.nullish(),
  uncertain: z.string().nullish(),
});
export type HardwareRow = z.infer<typeof hardwareSchema>;

/** A measured single-stream decode speed (`data/hardware-benchmarks.yaml`). */
export const hardwareBenchmarkSchema = z.object({
  model_slug: nonEmpty,
  hardware_slug: nonEmpty,
  num_units: z.number().int().positive().default(1),
  quant: z.string().trim().toLowerCase(),
  runtime: z.string().trim().toLowerCase(),
  batch: z.number().int().positive().default(1),
  decode_tok_s: z.number().positive(),
  context_length: z.number().int().positive().nullish(),
  ttft_ms: z.number().nullish(),
  as_of: isoDate.nullish(),
  source: url,
  notes: z.string().nullish(),
  checked: isoDate.nullish(),
});
export type HardwareBenchmarkRow = z.infer<typeof hardwareBenchmarkSchema>;

export const TIERS = ["open", "open-with-condition", "source-available", "proprietary"] as const;
export type Tier = (typeof TIERS)[number];

export const CLAUSE_KINDS = [
  "user-cap",
  "revenue-cap",
  "acceptable-use-policy",
  "attribution-display",
  "derivative-naming",
  "no-training-other-models",
  "non-commercial",
  "non-production",
  "pass-through-restrictions",
  "remote-restriction",
  "revocation",
  "region-exclusion",
  "policy-may-change",
  "notice-file",
] as const;
export type ClauseKind = (typeof CLAUSE_KINDS)[number];

const PERMISSIONS = ["commercial-use", "modifications", "distribution", "private-use", "patent-use"] as const;
const CONDITIONS = [
  "include-copyright",
  "include-copyright--source",
  "document-changes",
  "disclose-source",
  "network-use-disclose",
  "same-license",
  "same-license--file",
  "same-license--library",
] as const;
const LIMITATIONS = ["trademark-use", "liability", "patent-use", "warranty"] as const;

/**
 * The fixed questions every licence answers, as data. Each verdict answers the question as worded
 * here: "yes" to "May I use it commercially?" is a permission, "yes" to "Must I credit it?" a duty.
 */
export const CLAUSE_QUESTIONS = {
  "commercial-use": "May I use it commercially?",
  "user-cap": "May I use it at any scale, with no user or revenue cap?",
  modify: "May I modify and fine-tune it?",
  redistribute: "May I redistribute the weights and my derivatives?",
  "train-other-models": "May I use it or its outputs to train or improve other models?",
  "naming-attribution": "Must I credit it, or name what I build after it?",
  "acceptable-use": "Does a use policy ban some uses?",
  "regional-limits": "Are some places or people excluded?",
  termination: "Can my rights be ended, for example for suing the licensor?",
  notices: "Must I ship notices or a copy of the terms with it?",
  "osi-approved": "Is it an OSI-approved open-source licence?",
  "gated-download": "Is the download gated behind accepting terms or asking for access?",
} as const;
export type ClauseQuestion = keyof typeof CLAUSE_QUESTIONS;
export const CLAUSE_QUESTION_KEYS = Object.keys(CLAUSE_QUESTIONS) as ClauseQuestion[];

export const VERDICTS = ["yes", "conditional", "no", "not-addressed", "unconfirmed"] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * When a clause's rule covers someone, in a form a program can check against the asker's situation,
 * beside the prose. Every field given must hold for the rule to cover them; `if` and `result` say the
 * same in words ("unless <if>: then <result>").
 */
export const clauseConditionSchema = z.object({
  /** Covered above this many monthly active users (on `measured_on`, when the licence fixes a day). */
  users_over: z.number().positive().optional(),
  /** Covered above this much revenue a month, in US dollars or the equivalent. */
  revenue_over_per_month: z.number().positive().optional(),
  /** Covered when based in one of these regions or countries (codes from content/cues/regions.yaml). */
  regions: z.array(z.string().regex(/^[A-Z]{2,4}$/)).optional(),
  /** Only models whose name has one of these words ("vision", "90b"); absent means every model. */
  models: z.array(nonEmpty).optional(),
  /** Uses the rule bans, in the purpose cues' words (military, weapons, deception, compete, commercial). */
  bans: z.array(nonEmpty).optional(),
  /** Covering someone brings a duty, not a refusal: Kimi K2 above its thresholds must show its name, no permission needed. */
  duty: z.boolean().optional(),
  /** A step everyone must take before the permission holds (GLM-4: register with Zhipu before commercial use). */
  requires: z.boolean().optional(),
  /** A duty that arises only for what you share or distribute, not for private or internal use. */
  when_sharing: z.boolean().optional(),
  /** A shared derivative's name must begin with this ("Llama", "glm-4"), spaces and case aside. */
  name_prefix: nonEmpty.optional(),
  /** The ban spares this licence's own models: improving Llama 2 with Llama 2's outputs is allowed. */
  except_own_models: z.boolean().optional(),
  /** Who the rule never covers. */
  exempt: z.array(z.enum(["end-user"])).default([]),
  /** The covered case in words, completing "unless …" or "only if …". */
  if: nonEmpty,
  /** What follows for someone covered. */
  result: nonEmpty,
});
export type ClauseCondition = z.infer<typeof clauseConditionSchema>;

const clauseAnswerSchema = z.object({
  verdict: z.enum(VERDICTS),
  condition: clauseConditionSchema.nullish(),
  /** One or two sentences in plain words, with the figures. */
  text: nonEmpty,
  figure: z.coerce.string().nullish(),
  /** The date a cap is measured on (a release date, say). */
  measured_on: isoDate.nullish(),
  /** Where this answer comes from, when not the licence's own `source`. */
  source: sourceSchema.nullish(),
  /** When this answer was checked, when not the licence's own `checked`. */
  checked: isoDate.nullish(),
});
export type ClauseAnswerFile = z.infer<typeof clauseAnswerSchema>;

// Every question is required, so a licence that skips one fails content:check by name.
const clauseAnswersSchema = z.object(
  Object.fromEntries(CLAUSE_QUESTION_KEYS.map((key) => [key, clauseAnswerSchema])) as Record<
    ClauseQuestion,
    typeof clauseAnswerSchema
  >,
);

export const licenceSchema = z.object({
  id: nonEmpty,
  name: nonEmpty,
  short_name: z.string().optional(),
  aliases: z.array(z.coerce.string().trim().min(1)).default([]),
  spdx: z.string().nullish(),
  hf_id: z.string().nullish(),
  group: z.string().nullish(),
  version: z.coerce.string().nullish(),
  previous: z.string().nullish(),
  /** The licence this one adapts (BigCode OpenRAIL-M adapts OpenRAIL-M): lists of models under it include this one's. */
  variant_of: z.string().nullish(),
  released: isoDate.nullish(),
  tier: z.enum(TIERS),
  osi_approved: z.boolean(),
  summary: nonEmpty,
  permissions: z.array(z.enum(PERMISSIONS)).default([]),
  conditions: z.array(z.enum(CONDITIONS)).default([]),
  limitations: z.array(z.enum(LIMITATIONS)).default([]),
  clauses: z
    .array(
      z.object({
        kind: z.enum(CLAUSE_KINDS),
        figure: z.coerce.string().nullish(),
        text: nonEmpty,
      }),
    )
    .default([]),
  you_may: stringList,
  you_must: stringList,
  you_may_not: stringList,
  changes: z.string().nullish(),
  answers: clauseAnswersSchema,
  uncertain: stringList,
  source: sourceSchema,
  sources: z.array(sourceSchema).default([]),
  checked: isoDate,
});
export type LicenceFile = z.infer<typeof licenceSchema>;

const opennessLevel = z.enum(["yes", "partial", "no"]);
export const OPENNESS_ASPECTS = ["weights", "data", "training_code", "logs", "paper"] as const;
export type OpennessAspect = (typeof OPENNESS_ASPECTS)[number];

export const familySchema = z.object({
  id: nonEmpty,
  name: nonEmpty,
  lab: nonEmpty,
  country: nonEmpty,
  aliases: z.array(z.coerce.string().trim().min(1)).default([]),
  /** `family` slugs the site's data uses for this family that are model names, not family names. */
  data_slugs: z.array(z.coerce.string().trim().min(1)).default([]),
  project: z.string().nullish(),
  tier: z.enum(TIERS),
  summary: nonEmpty,
  licenses: z
    .array(
      z.object({
        version: z.coerce.string().trim().min(1),
        released: isoDate.nullish(),
        license: nonEmpty,
        models: z.string().nullish(),
        note: z.string().nullish(),
        /**
         * A use policy the release ships beside its licence (gpt-oss: Apache-2.0 plus a one-line
         * policy): it answers "is there a use policy" for this release instead of the licence's own.
         */
        /** The base model a derived release (a distill, a fine-tune) takes its licence from. */
        base: z.string().nullish(),
        usage_policy: z.object({ text: nonEmpty, source: sourceSchema, checked: isoDate }).nullish(),
      }),
    )
    .min(1),
  openness: z.object({
    weights: opennessLevel,
    data: opennessLevel,
    training_code: opennessLevel,
    logs: opennessLevel,
    paper: opennessLevel,
  }),
  openness_note: z.string().nullish(),
  /**
   * Licences the family has left ("still under the Yi licence?"): its name, the words people use for
   * it, which releases it covered, and when and how it was replaced.
   */
  former_licenses: z
    .array(z.object({ name: nonEmpty, aliases: z.array(nonEmpty).default([]), versions: nonEmpty, note: nonEmpty }))
    .default([]),
  /** The licence of the released training data, in words, where the family releases it. */
  data_licence: z.string().nullish(),
  uncertain: stringList,
  source: sourceSchema,
  sources: z.array(sourceSchema).default([]),
  checked: isoDate,
});
export type FamilyFile = z.infer<typeof familySchema>;
export type OpennessLevel = z.infer<typeof opennessLevel>;

/**
 * A cue: wording that signals one meaning ("can i" signals a may-question), as regular expressions
 * tried on the folded question text. Its examples must match and its counter-examples must not:
 * they run as tests, so a change to one cue shows which questions it moves.
 */
export const cueSchema = z.object({
  id: nonEmpty,
  /** What the cue signals: a clause, a polarity, a purpose, an intent, a place code... */
  means: nonEmpty,
  /** Among cues of one group that all match, the highest priority decides. */
  priority: z.number().int().default(0),
  patterns: z.array(nonEmpty).min(1),
  examples: z.array(nonEmpty).min(1),
  counter_examples: stringList,
});
export type Cue = z.infer<typeof cueSchema>;

export const CUE_GROUPS = [
  "clause",
  "polarity",
  "purpose",
  "role",
  "decline",
  "intent",
  "tool",
  "place",
  "variant",
  "list",
  "fit",
  "fit-figure",
  "units",
  "runtime",
  "osaid-requirement",
  "search-word",
  "list-rule",
] as const;
export type CueGroup = (typeof CUE_GROUPS)[number];

export const cueFile = z.object({
  group: z.enum(CUE_GROUPS),
  /** What the group is for, in a sentence. */
  about: nonEmpty,
  cues: z.array(cueSchema).min(1),
});
export type CueFile = z.infer<typeof cueFile>;

/** Regions that licences name (EU, EEA), as lists of ISO 3166-1 alpha-2 country codes. */
export const regionsFile = z.object({
  about: nonEmpty,
  regions: z.record(z.string().regex(/^[A-Z]{2,4}$/), z.array(z.string().regex(/^[A-Z]{2}$/)).min(1)),
  sources: z.array(sourceSchema).min(1),
  checked: isoDate,
});
export type RegionsFile = z.infer<typeof regionsFile>;

/** What the OSI's Open Source AI Definition asks, as yes/no facts with their source (content/osaid.yaml). */
export const osaidFile = z.object({
  source: sourceSchema,
  checked: isoDate,
  uncertain: z.array(nonEmpty).default([]),
  requirements: z
    .array(
      z.object({
        id: z.enum(["training-data", "training-code", "weights", "copyleft", "licence-enough"]),
        verdict: z.enum(["yes", "no"]),
        text: nonEmpty,
      }),
    )
    .min(1),
  /** The OSI's own validation of systems against the definition: who passed, who would with a licence change, who failed. */
  validation: z
    .object({
      year: z.number().int(),
      source: sourceSchema,
      checked: isoDate,
      results: z
        .array(
          z.object({
            name: nonEmpty,
            /** Our family id, where the registry holds the family. */
            family: z.string().nullish(),
            verdict: z.enum(["passed", "licence-change", "failed"]),
          }),
        )
        .min(1),
    })
    .nullish(),
});
export type OsaidFile = z.infer<typeof osaidFile>;
