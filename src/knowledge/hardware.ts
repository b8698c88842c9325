import type { LoadedContent } from "../content/load.ts";
import type { HardwareBenchmarkRow, HardwareRow } from "../content/schemas.ts";
import type { Hardware, HardwareBenchmark, Model } from "./types.ts";

type Warn = (file: string, message: string, path?: string) => void;

/** Apple's and x86 unified memory: the system shares it with the accelerator. */
export function hasUnifiedMemory(hardware: Pick<Hardware, "class">): boolean {
  return hardware.class === "apple-unified" || hardware.class === "x86-unified";
}

/** The accelerator catalogue by slug, and the benchmark rows whose model and hardware both exist. */
export function buildHardware(
  content: LoadedContent,
  models: readonly Model[],
  warn: Warn,
): { hardware: Map<string, Hardware>; benchmarks: HardwareBenchmark[] } {
  const hardware = new Map(content.hardware.map((row) => [row.slug, toHardware(row)]));
  const modelSlugs = new Set(models.map((model) => model.slug));
  const benchmarks = content.benchmarks.flatMap((row, index) => {
    const missing = [
      modelSlugs.has(row.model_slug) ? null : `model "${row.model_slug}"`,
      hardware.has(row.hardware_slug) ? null : `hardware "${row.hardware_slug}"`,
    ].filter((part) => part !== null);
    if (missing.length > 0) {
      warn(
        "data/hardware-benchmarks.yaml",
        `benchmark names ${missing.join(" and ")}, which the data lacks; left out`,
        `benchmarks.${index}`,
      );
      return [];
    }
    return [toBenchmark(row)];
  });
  return { hardware, benchmarks };
}

function toHardware(row: HardwareRow): Hardware {
  return {
    slug: row.slug,
    name: row.name,
    vendor: row.vendor,
    class: row.class,
    memoryGb: row.memory_capacity_gb,
    memoryType: row.memory_type ?? null,
    bandwidthGbs: row.memory_bandwidth_gbs,
    fp16Tflops: row.compute?.fp16_dense_tflops ?? null,
    fp8Tflops: row.compute?.fp8_dense_tflops ?? null,
    interconnect: row.interconnect,
    unitsDefault: row.multi_unit_default,
    releaseDate: row.release_date ?? null,
    url: row.url ?? null,
    notes: row.notes ?? null,
    aliases: row.aliases,
    sources: row.sources,
    checked: row.checked ?? null,
    uncertain: row.uncertain ?? null,
  };
}

function toBenchmark(row: HardwareBenchmarkRow): HardwareBenchmark {
  return {
    modelSlug: row.model_slug,
    hardwareSlug: row.hardware_slug,
    units: row.num_units,
    quant: row.quant,
    runtime: row.runtime,
    decodeTokS: row.decode_tok_s,
    contextLength: row.context_length ?? null,
    asOf: row.as_of ?? null,
    source: row.source,
    notes: row.notes ?? null,
  };
}
