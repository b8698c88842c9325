import type {
  ClauseKind,
  FamilyFile,
  LicenceFile,
  OpennessAspect,
  OpennessLevel,
  Source,
  Tier,
} from "../content/schemas.ts";

export type { ClauseKind, OpennessAspect, OpennessLevel, Source, Tier };

export type EntryKind = "license" | "family" | "term" | "model" | "section";

/** A reference to one entry of the knowledge base, as search and answers pass them around. */
export interface EntryRef {
  kind: EntryKind;
  id: string;
}

export interface Licence extends Omit<LicenceFile, "aliases"> {
  aliases: readonly string[];
  familyIds: readonly string[];
  modelSlugs: readonly string[];
  /** Later versions in the same group, by id (the inverse of `previous`). */
  next: string | null;
}

export interface LicenceHistoryEntry {
  version: string;
  released: string | null;
  licenseId: string;
  models: string | null;
  note: string | null;
  /** The base model a derived release takes its licence from ("Llama 3.3 70B Instruct"). */
  base: string | null;
  /** A use policy shipped beside the licence, for this release only. */
  usagePolicy: { text: string; source: Source; checked: string } | null;
}

export interface Family {
  id: string;
  name: string;
  lab: string | null;
  country: string | null;
  aliases: readonly string[];
  tier: Tier | null;
  summary: string;
  /** Newest first. */
  licenses: readonly LicenceHistoryEntry[];
  openness: Readonly<Record<OpennessAspect, OpennessLevel>> | null;
  opennessNote: string | null;
  /** Licences the family has left, with what people call them and what replaced them. */
  formerLicences: readonly { name: string; aliases: readonly string[]; versions: string; note: string }[];
  dataLicence: string | null;
  uncertain: readonly string[];
  source: Source | null;
  checked: string | null;
  projectSlug: string | null;
  projectLicense: string | null;
  projectUrl: string | null;
  modelSlugs: readonly string[];
  /** The `family` slugs the site's model rows use for this family. */
  dataSlugs: readonly string[];
  /** False for a family that exists only in the site's data (no registry entry). */
  inRegistry: boolean;
}

export interface Term {
  slug: string;
  term: string;
  aliases: readonly string[];
  primaryLayer: string;
  secondaryLayers: readonly string[];
  summary: string;
  paragraphs: readonly string[];
  sources: readonly Source[];
  updated: string | null;
  /** Slugs of linked terms: the entry's own `<G>` links first, then entries that link to it. */
  related: readonly string[];
  /** Lessons that link to the term, by section id. */
  lessons: readonly string[];
  /** False for our own entry served beside a site checkout's: the site has no page for it. */
  onSite: boolean;
}

/** A passage of the site's text: a section of a layer module, or part of a lesson. */
export interface LayerSection {
  id: string;
  /** The layer, or the lesson track ("how-llms-work", "self-host"). */
  layerSlug: string;
  /** The module or lesson the passage belongs to. */
  layerTitle: string;
  heading: string;
  blocks: readonly string[];
  updated: string | null;
  /** The page the passage is on. */
  url: string;
  /** A lesson's one-line summary; empty for a layer module's section. */
  summary: string;
  /** "lesson" for the learning tracks, "module" for a layer's sections. */
  source: "module" | "lesson";
}

export interface Layer {
  slug: string;
  title: string;
  shortDescription: string;
  tier: "core" | "meta";
  order: number;
  sectionIds: readonly string[];
}

export interface Model {
  slug: string;
  displayName: string;
  familyId: string;
  familySlug: string;
  developer: string;
  country: string | null;
  releasedDate: string | null;
  openness: "open" | "open-weights" | "source-available" | "proprietary";
  licenseText: string;
  licenceIds: readonly string[];
  osiApproved: boolean;
  dataReleased: boolean;
  trainingCodeReleased: boolean;
  trainingLogsReleased: boolean;
  architecture: string | null;
  paramsTotal: number | null;
  paramsActive: number | null;
  contextWindow: number | string | null;
  /** The attention shape a KV-cache estimate needs, as far as the data gives it. */
  attention: ModelAttention;
  sources: readonly Source[];
}

export interface ModelAttention {
  /** "gqa", "mha", "mqa", "mla" or a sliding variant; null when the data does not say. */
  variant: string | null;
  layers: number | null;
  kvHeads: number | null;
  headDim: number | null;
  hiddenSize: number | null;
  /** Given outright by the site for a few models. */
  kvBytesPerTokenFp16: number | null;
}

/** One accelerator, every figure per unit (decimal GB, GB/s). */
export interface Hardware {
  slug: string;
  name: string;
  vendor: string;
  class: "datacenter" | "workstation" | "apple-unified" | "x86-unified" | "ai-pc";
  memoryGb: number;
  memoryType: string | null;
  bandwidthGbs: number;
  /** Dense compute, when the chip's figure is known. */
  fp16Tflops: number | null;
  fp8Tflops: number | null;
  interconnect: "nvlink" | "nvswitch" | "pcie" | "infinity-fabric" | "none";
  unitsDefault: number;
  releaseDate: string | null;
  url: string | null;
  notes: string | null;
  aliases: readonly string[];
  sources: readonly Source[];
  checked: string | null;
  uncertain: string | null;
}

/** A measured single-stream decode speed: measured beats estimated. */
export interface HardwareBenchmark {
  modelSlug: string;
  hardwareSlug: string;
  units: number;
  quant: string;
  runtime: string;
  decodeTokS: number;
  contextLength: number | null;
  asOf: string | null;
  source: string;
  notes: string | null;
}

export interface NewsStory {
  layer: string;
  title: string;
  text: string;
}

export interface NewsIssue {
  date: string;
  editorialLetter: string;
  itemCount: number;
  stories: readonly NewsStory[];
}

/** What the Open Source AI Definition asks, as yes/no facts with their source. */
export interface OsaidRequirements {
  source: Source;
  checked: string;
  uncertain: readonly string[];
  requirements: ReadonlyMap<string, { verdict: "yes" | "no"; text: string }>;
  validation: OsaidValidation | null;
}

/** The OSI's validation of named systems against the definition, with its source. */
export interface OsaidValidation {
  year: number;
  source: Source;
  checked: string;
  results: readonly { name: string; family: string | null; verdict: "passed" | "licence-change" | "failed" }[];
}

export interface KnowledgeBase {
  /** "site" when served from a checkout of the site: its text is CC BY 4.0 and must be credited. */
  origin: "site" | "bundled";
  /** The newest date the content gives (its `updated` fields and news issues). */
  contentDate: string | null;
  /** When our licence and family registries were last checked. */
  registryDate: string | null;
  layers: ReadonlyMap<string, Layer>;
  sections: ReadonlyMap<string, LayerSection>;
  terms: ReadonlyMap<string, Term>;
  families: ReadonlyMap<string, Family>;
  licences: ReadonlyMap<string, Licence>;
  models: ReadonlyMap<string, Model>;
  /** Models known only for their size (our rows a site checkout lacks): for fit estimates, never answers. */
  sizeOnlyModels: ReadonlyMap<string, Model>;
  hardware: ReadonlyMap<string, Hardware>;
  benchmarks: readonly HardwareBenchmark[];
  /** Newest first. */
  news: readonly NewsIssue[];
  osaid: OsaidRequirements | null;
}

export type { FamilyFile, LicenceFile };
