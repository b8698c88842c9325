import { QUANT_FORMATS, RUNTIMES } from "../../knowledge/fit-method.ts";
import { foldText } from "../../knowledge/normalize.ts";
import type { KnowledgeBase } from "../../knowledge/types.ts";
import { formatBillions, sizedFromEntry } from "./sized-model.ts";

/** One autocomplete suggestion, before Discord's limits are applied. */
export interface Suggestion {
  name: string;
  value: string;
}

/** Ranked: names that start with what was typed, then names that contain it, each word of it. */
function ranked<T>(items: readonly T[], typed: string, names: (item: T) => string[]): T[] {
  const query = foldText(typed).trim();
  if (!query) return [...items];
  const words = query.split(/[\s_-]+/).filter(Boolean);
  const score = (item: T) => {
    const all = names(item).map((name) => foldText(name));
    if (all.some((name) => name === query)) return 3;
    if (all.some((name) => name.startsWith(query))) return 2;
    if (all.some((name) => words.every((word) => name.includes(word)))) return 1;
    return 0;
  };
  return items
    .map((item, at) => ({ item, at, score: score(item) }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.at - b.at)
    .map(({ item }) => item);
}

/** Models with a published size, newest first when nothing is typed. */
export function suggestFitModels(kb: KnowledgeBase, typed: string): Suggestion[] {
  const models = [...kb.models.values()]
    .filter((model) => sizedFromEntry(model) !== null)
    .sort((a, b) => (b.releasedDate ?? "").localeCompare(a.releasedDate ?? ""));
  return ranked(models, typed, (model) => [model.displayName, model.slug, model.slug.replace(/-/g, " ")]).map(
    (model) => {
      const sized = sizedFromEntry(model)!;
      const size = sized.moe
        ? `${formatBillions(sized.paramsTotal / 1e9)}B, ${formatBillions(sized.paramsActive / 1e9)}B active`
        : `${formatBillions(sized.paramsTotal / 1e9)}B`;
      return { name: `${model.displayName} (${size})`, value: model.slug };
    },
  );
}

/** Hardware by name or the short names people use ("4090", "m3 ultra", "spark"). */
export function suggestHardware(kb: KnowledgeBase, typed: string): Suggestion[] {
  const parts = [...kb.hardware.values()];
  return ranked(parts, typed, (part) => [part.name, part.slug, ...part.aliases]).map((part) => ({
    name: `${part.name} (${part.memoryGb} GB, ${part.bandwidthGbs.toLocaleString("en-US")} GB/s)`,
    value: part.slug,
  }));
}

export function suggestFormats(typed: string): Suggestion[] {
  return ranked(QUANT_FORMATS, typed, (format) => [format.label, format.id, ...format.aliases]).map((format) => ({
    name: `${format.label} (${format.bytesPerParam} bytes per parameter)`,
    value: format.id,
  }));
}

export function suggestRuntimes(typed: string): Suggestion[] {
  return ranked(RUNTIMES, typed, (runtime) => [runtime.label, runtime.id]).map((runtime) => ({
    name: runtime.label,
    value: runtime.id,
  }));
}
