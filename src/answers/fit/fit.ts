import {
  DEFAULT_CONTEXT_TOKENS,
  QUANT_FORMATS,
  type QuantFormat,
  type Runtime,
  type RuntimeId,
  runtime as runtimeById,
} from "../../knowledge/fit-method.ts";
import { hasUnifiedMemory } from "../../knowledge/hardware.ts";
import type { Hardware, HardwareBenchmark, KnowledgeBase, Model } from "../../knowledge/types.ts";
import type { FitIntent, NamedHardware } from "../../understand/fit-question.ts";
import { formatForWidth, namedPart } from "../../understand/fit-question.ts";
import { siteCredit } from "../site.ts";
import type { Card, Credited } from "../types.ts";
import type { BenchmarkRow } from "../views.ts";
import {
  decodeSpeed,
  type HardwareSpec,
  type MemoryBill,
  maxContextTokens,
  memoryBill,
  type Setup,
  type SizedModel,
  type SpeedEstimate,
  usableMemoryGb,
} from "./estimate.ts";
import { FIT_LINKS, type FitLinks, fitPage } from "./links.ts";
import { type ModelForFit, sizedFromEntry } from "./sized-model.ts";

/** What a fit request gives; what it leaves out takes the method's defaults. */
export interface FitRequest {
  intent: FitIntent;
  model: ModelForFit;
  hardware: NamedHardware | null;
  format: QuantFormat | null;
  width: "4bit" | "8bit" | null;
  runtime: RuntimeId | null;
  contextTokens: number | null;
}

export type FitAlternative =
  | { kind: "format"; format: QuantFormat; needGb: number; usableGb: number }
  | { kind: "context"; tokens: number }
  | { kind: "units"; units: number; needGb: number; usableGb: number }
  | { kind: "runtime"; runtime: Runtime; format: QuantFormat; needGb: number; usableGb: number }
  | { kind: "hardware"; hardware: Hardware; needGb: number; usableGb: number };

/** Will this model run on this hardware, and how fast: the estimate, its inputs and what else would fit. */
export interface FitAnswer extends Card {
  type: "fit";
  links: FitLinks;
  question: string | null;
  intent: FitIntent;
  model: SizedModel;
  modelEntry: Model | null;
  sizeFromName: boolean;
  unknownName: string | null;
  /** Null when no hardware was named: the memory bill alone, and the parts it fits on. */
  hardware: { spec: HardwareSpec; entry: Hardware | null; units: number } | null;
  format: QuantFormat;
  runtime: Runtime;
  contextTokens: number;
  /** The inputs the asker did not give, which took the method's defaults. */
  defaulted: ("format" | "context" | "runtime")[];
  /** The runtime does not load the format asked for: estimated as asked all the same. */
  formatMismatch: boolean;
  bill: MemoryBill;
  speed: SpeedEstimate | null;
  /** Measured decode speeds for the same model on the same part, closest setup first. */
  measured: BenchmarkRow[];
  alternatives: FitAlternative[];
}

/** "What can I run on a 24 GB card": the models that fit, largest first, and the nearest that do not. */
export interface FitCapacityAnswer extends Credited {
  type: "fit-capacity";
  links: FitLinks;
  question: string | null;
  hardware: { spec: HardwareSpec; entry: Hardware | null; units: number };
  format: QuantFormat;
  runtime: Runtime;
  contextTokens: number;
  usableGb: number;
  fits: { model: Model; needGb: number; speed: SpeedEstimate | null }[];
  tooBig: { model: Model; needGb: number }[];
}

export function hardwareSpec(named: NamedHardware): HardwareSpec {
  const { entry } = named;
  if (!entry) {
    return {
      name: `${named.unified ? "a Mac or unified-memory machine" : "a card"} with ${named.memoryGb} GB`,
      memoryGb: named.memoryGb ?? 0,
      bandwidthGbs: null,
      fp16Tflops: null,
      fp8Tflops: null,
      interconnect: "pcie",
      unified: named.unified,
    };
  }
  const configured = named.memoryGb !== null && named.memoryGb !== entry.memoryGb;
  return {
    // "Mac Studio (M3 Ultra, 512 GB)" bought with 192 GB is named with the asker's memory.
    name: configured
      ? `${entry.name
          .replace(/,?\s*\d+\s*GB\b/i, "")
          .replace(/\(\s*\)/, "")
          .trim()} with ${named.memoryGb} GB`
      : entry.name,
    memoryGb: named.memoryGb ?? entry.memoryGb,
    bandwidthGbs: entry.bandwidthGbs,
    fp16Tflops: entry.fp16Tflops,
    fp8Tflops: entry.fp8Tflops,
    interconnect: entry.interconnect,
    unified: hasUnifiedMemory(entry),
  };
}

function isApple(named: NamedHardware | null): boolean {
  return named?.entry ? named.entry.class === "apple-unified" : (named?.unified ?? false);
}

/** Runtime and format: as asked; else the one the other implies; else llama.cpp, or MLX on a Mac. */
export function chooseSetup(request: Pick<FitRequest, "hardware" | "format" | "width" | "runtime">): {
  runtime: Runtime;
  format: QuantFormat;
  defaulted: ("format" | "runtime")[];
  formatMismatch: boolean;
} {
  const defaulted: ("format" | "runtime")[] = [];
  const fallbackRuntime: RuntimeId = isApple(request.hardware) ? "mlx" : "llama.cpp";
  let runtimeId = request.runtime;
  if (!runtimeId) {
    runtimeId =
      request.format && !request.format.runtimes.includes(fallbackRuntime)
        ? request.format.runtimes[0]!
        : fallbackRuntime;
    defaulted.push("runtime");
  }
  const runtime = runtimeById(runtimeId)!;
  let format = request.format ?? (request.width ? formatForWidth(request.width, runtimeId) : undefined);
  if (!format) {
    format = QUANT_FORMATS.find((candidate) => candidate.id === runtime.defaultFormat)!;
    if (!request.width) defaulted.push("format");
  }
  return { runtime, format, defaulted, formatMismatch: !format.runtimes.includes(runtimeId) };
}

export function answerFit(kb: KnowledgeBase, question: string | null, request: FitRequest): FitAnswer {
  const { runtime, format, defaulted, formatMismatch } = chooseSetup(request);
  const contextTokens = request.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  const named = request.hardware;
  const hardware = named ? { spec: hardwareSpec(named), entry: named.entry, units: named.units } : null;
  const model = request.model.model;
  const setup: Setup = {
    hardware: hardware?.spec ?? UNLIMITED,
    units: hardware?.units ?? 1,
    format,
    runtime,
    contextTokens,
  };
  const bill = memoryBill(model, setup);
  const speed = hardware ? decodeSpeed(model, setup) : null;
  return {
    type: "fit",
    question,
    intent: request.intent,
    model,
    modelEntry: request.model.entry,
    sizeFromName: request.model.fromName,
    unknownName: request.model.unknownName,
    hardware,
    format,
    runtime,
    contextTokens,
    defaulted: [...defaulted, ...(request.contextTokens === null ? (["context"] as const) : [])],
    formatMismatch,
    bill,
    speed,
    measured:
      hardware?.entry && model.slug
        ? measuredFor(kb, model.slug, hardware.entry.slug, format, runtime, hardware.units)
        : [],
    alternatives: hardware ? (bill.fits ? [] : alternatives(kb, model, setup)) : partsThatFit(kb, model, setup),
    url: fitPage(request.model.entry?.slug ?? null),
    links: FIT_LINKS,
    credit: siteCredit(kb),
  };
}

/** A stand-in for "no hardware named": the bill is computed, nothing is compared with it. */
const UNLIMITED: HardwareSpec = {
  name: "",
  memoryGb: Number.POSITIVE_INFINITY,
  bandwidthGbs: null,
  fp16Tflops: null,
  fp8Tflops: null,
  interconnect: "none",
  unified: false,
};

function measuredFor(
  kb: KnowledgeBase,
  modelSlug: string,
  hardwareSlug: string,
  format: QuantFormat,
  runtime: Runtime,
  units: number,
): HardwareBenchmark[] {
  const closeness = (row: HardwareBenchmark) =>
    Number(row.quant === format.id) * 4 + Number(row.runtime === runtime.id) * 2 + Number(row.units === units);
  return kb.benchmarks
    .filter((row) => row.modelSlug === modelSlug && row.hardwareSlug === hardwareSlug)
    .sort((a, b) => closeness(b) - closeness(a));
}

/** What would fit instead: a smaller format, less context, more units, or a part with more memory. */
function alternatives(kb: KnowledgeBase, model: SizedModel, setup: Setup): FitAlternative[] {
  const found: FitAlternative[] = [];
  const smaller = QUANT_FORMATS.filter(
    (format) => format.runtimes.includes(setup.runtime.id) && format.bytesPerParam < setup.format.bytesPerParam,
  ).sort((a, b) => b.bytesPerParam - a.bytesPerParam);
  for (const format of smaller) {
    const bill = memoryBill(model, { ...setup, format });
    if (bill.fits) {
      found.push({ kind: "format", format, needGb: bill.needGb, usableGb: bill.usableGb });
      break;
    }
  }
  const tokens = maxContextTokens(model, setup);
  if (tokens >= 1024 && tokens < setup.contextTokens) found.push({ kind: "context", tokens });
  if (!setup.hardware.unified) {
    for (let units = setup.units + 1; units <= 8; units++) {
      const bill = memoryBill(model, { ...setup, units });
      if (bill.fits) {
        found.push({ kind: "units", units, needGb: bill.needGb, usableGb: bill.usableGb });
        break;
      }
    }
  }
  // MLX leaves a quarter of a Mac's memory to the system; llama.cpp, by the site's method, does not.
  if (setup.runtime.id !== "llama.cpp") {
    const width = widthOf(setup.format);
    const format = width ? formatForWidth(width, "llama.cpp") : undefined;
    const runtime = runtimeById("llama.cpp")!;
    if (format) {
      const bill = memoryBill(model, { ...setup, runtime, format });
      if (bill.fits) found.push({ kind: "runtime", runtime, format, needGb: bill.needGb, usableGb: bill.usableGb });
    }
  }
  found.push(...partsThatFit(kb, model, setup));
  return found;
}

/** Single parts of the catalogue that hold the model as set up: the smallest that fits, fastest first on ties. */
function partsThatFit(kb: KnowledgeBase, model: SizedModel, setup: Setup): FitAlternative[] {
  const fitting = [...kb.hardware.values()].flatMap((hardware) => {
    const named = namedPart(hardware);
    // The format asked for where the part's own runtime loads it, else the same width in its format.
    const { runtime, format } = chooseSetup({
      hardware: named,
      format: setup.format.runtimes.includes(isApple(named) ? "mlx" : "llama.cpp") ? setup.format : null,
      width: widthOf(setup.format),
      runtime: null,
    });
    const bill = memoryBill(model, { ...setup, hardware: hardwareSpec(named), units: 1, runtime, format });
    return bill.fits ? [{ kind: "hardware" as const, hardware, needGb: bill.needGb, usableGb: bill.usableGb }] : [];
  });
  fitting.sort((a, b) => a.usableGb - b.usableGb || b.hardware.bandwidthGbs - a.hardware.bandwidthGbs);
  // The smallest that fits, and the smallest of another kind (a Mac beside a card) where there is one.
  const [first] = fitting;
  if (!first) return [];
  const apple = (part: (typeof fitting)[number]) => part.hardware.class === "apple-unified";
  const other = fitting.find((part) => apple(part) !== apple(first));
  return other ? [first, other] : [first];
}

function widthOf(format: QuantFormat): "4bit" | "8bit" | null {
  if (format.bytesPerParam >= 0.5 && format.bytesPerParam <= 0.56) return "4bit";
  if (format.bytesPerParam >= 1 && format.bytesPerParam <= 1.06) return "8bit";
  return null;
}

/** The models with a known size that fit on the hardware at its default setup, largest first. */
export function answerFitCapacity(
  kb: KnowledgeBase,
  question: string | null,
  named: NamedHardware,
  request: Pick<FitRequest, "format" | "width" | "runtime" | "contextTokens">,
): FitCapacityAnswer {
  const { runtime, format } = chooseSetup({ ...request, hardware: named });
  const spec = hardwareSpec(named);
  const contextTokens = request.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  const setup: Setup = { hardware: spec, units: named.units, format, runtime, contextTokens };
  const sized = [...kb.models.values()].flatMap((model) => {
    const size = sizedFromEntry(model);
    return size && model.openness !== "proprietary" ? [{ model, size, bill: memoryBill(size, setup) }] : [];
  });
  const bySize = (a: { size: SizedModel }, b: { size: SizedModel }) => b.size.paramsTotal - a.size.paramsTotal;
  return {
    type: "fit-capacity",
    question,
    links: FIT_LINKS,
    credit: siteCredit(kb),
    hardware: { spec, entry: named.entry, units: named.units },
    format,
    runtime,
    contextTokens,
    usableGb: usableMemoryGb(setup),
    fits: sized
      .filter(({ bill }) => bill.fits)
      .sort(bySize)
      .map(({ model, size, bill }) => ({ model, needGb: bill.needGb, speed: decodeSpeed(size, setup) })),
    tooBig: sized
      .filter(({ bill }) => !bill.fits)
      .sort((a, b) => a.bill.needGb - b.bill.needGb)
      .slice(0, 3)
      .map(({ model, bill }) => ({ model, needGb: bill.needGb })),
  };
}
