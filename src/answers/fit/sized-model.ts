import type { Family, KnowledgeBase, Model, ModelAttention } from "../../knowledge/types.ts";
import { type SearchIndex, SIZE_TOKEN } from "../../search/index.ts";
import type { Frame } from "../../understand/frame.ts";
import { familyOfMention } from "../../understand/names.ts";
import type { SizedModel } from "./estimate.ts";

const UNKNOWN_SHAPE: ModelAttention = {
  variant: null,
  layers: null,
  kvHeads: null,
  headDim: null,
  hiddenSize: null,
  kvBytesPerTokenFp16: null,
};

/** Where a model's size came from: its data row, or the name the asker wrote ("qwen3 14b"). */
export interface ModelForFit {
  model: SizedModel;
  entry: Model | null;
  /** The size was read from the name, not the data: the estimate says so. */
  fromName: boolean;
  /** A name the content does not hold; the estimate is for a model of its size. */
  unknownName: string | null;
}

export function isMoe(model: Model): boolean {
  return (
    model.architecture === "moe" ||
    (model.paramsTotal !== null && model.paramsActive !== null && model.paramsActive < model.paramsTotal * 0.8)
  );
}

/** A data row with a published size; null for undisclosed models (most proprietary ones). */
export function sizedFromEntry(model: Model): SizedModel | null {
  if (!model.paramsTotal) return null;
  const moe = isMoe(model);
  return {
    name: model.displayName,
    slug: model.slug,
    paramsTotal: model.paramsTotal,
    paramsActive: moe && model.paramsActive ? model.paramsActive : model.paramsTotal,
    moe,
    attention: model.attention,
  };
}

/** "70b" to 70e9, "1.5t" to 1.5e12, "a3b" to the active 3e9; null for anything else. */
export function parseSize(token: string): { total?: number; active?: number } | null {
  const active = /^a(\d+(?:\.\d+)?)b$/.exec(token);
  if (active) return { active: Number(active[1]) * 1e9 };
  const experts = /^(\d+)x(\d+(?:\.\d+)?)b$/.exec(token);
  if (experts) return { total: Number(experts[1]) * Number(experts[2]) * 1e9 };
  const size = /^(\d+(?:\.\d+)?)([bmt])$/.exec(token);
  if (!size) return null;
  const scale = size[2] === "t" ? 1e12 : size[2] === "b" ? 1e9 : 1e6;
  return { total: Number(size[1]) * scale };
}

/** The sizes a question gives, as total and active parameters ("30b a3b", "8x7b", "70b"). */
function sizesIn(tokens: readonly string[]): { total: number | null; active: number | null } {
  let total: number | null = null;
  let active: number | null = null;
  for (const token of tokens) {
    const size = parseSize(token);
    if (size?.total && total === null && size.total >= 1e8) total = size.total;
    if (size?.active && active === null) active = size.active;
  }
  return { total, active };
}

/** A model of a size only: "a 70B model", "Qwen3 14B" when the data holds no row for it. */
export function sizedFromName(name: string, total: number, active: number | null): SizedModel {
  return {
    name,
    slug: null,
    paramsTotal: total,
    paramsActive: active && active < total ? active : total,
    moe: active !== null && active < total,
    attention: UNKNOWN_SHAPE,
  };
}

/**
 * The model a fit question is about: a named model with a size in the data; a family named with a
 * size (the family's row of that size, or the size as named); or a bare size ("a 70b").
 */
export function modelForFit(kb: KnowledgeBase, index: SearchIndex, frame: Frame): ModelForFit | null {
  const sizes = sizesIn([...frame.nameWords, ...frame.sizes]);
  const versionNamed = frame.nameWords.some((word) => /\d/.test(word) && !SIZE_TOKEN.test(word));
  for (const mention of frame.mentions) {
    if (mention.kind !== "model") continue;
    const entry = kb.models.get(mention.id);
    const sized = entry ? sizedFromEntry(entry) : null;
    // "llama 70b" found as Llama 2 70B, "llama 3.1 8b" as Llama 3 8B: a row answers only when the
    // question repeats its name; otherwise the family and size decide below.
    if (entry && sized && nameWordsIn(entry.displayName, frame.resolvedText))
      return { model: sized, entry, fromName: false, unknownName: null };
  }
  const unknownName = frame.unknownNames[0] ?? null;
  for (const mention of frame.mentions) {
    if (mention.kind !== "family" && mention.kind !== "model") continue;
    const family = familyOfMention(kb, index, mention);
    if (!family || sizes.total === null) continue;
    const row = familyRowOfSize(kb, family, sizes.total, frame.resolvedText, versionNamed);
    // A row of our own data that the served content lacks gives the size, but is not an entry to link.
    if (row && !unknownName)
      return {
        model: row.sized,
        entry: kb.models.has(row.entry.slug) ? row.entry : null,
        fromName: false,
        unknownName: null,
      };
    return {
      model: sizedFromName(nameAsWritten(frame, mention.name), sizes.total, sizes.active),
      entry: null,
      fromName: true,
      unknownName,
    };
  }
  if (sizes.total === null) return null;
  const billions = sizes.total / 1e9;
  const generic = `a ${formatBillions(billions)}B${sizes.active ? ` (${formatBillions(sizes.active / 1e9)}B active)` : ""} model`;
  return { model: sizedFromName(generic, sizes.total, sizes.active), entry: null, fromName: true, unknownName };
}

/** A size as people write it is rounded: "70b" is Llama 3.3's 70.6B, but "405b" is not Maverick's 400B. */
const SIZE_TOLERANCE = 0.06;

function sizeGap(model: SizedModel, asked: number): number {
  return Math.abs(model.paramsTotal - asked) / asked;
}

function sizeAgrees(model: SizedModel, asked: number | null): boolean {
  return asked === null || sizeGap(model, asked) <= SIZE_TOLERANCE;
}

/** The family's row closest in size (within 15%), preferring one whose version the question names. */
function familyRowOfSize(
  kb: KnowledgeBase,
  family: Family,
  total: number,
  text: string,
  versionNamed: boolean,
): { entry: Model; sized: SizedModel } | null {
  const candidates = [...kb.models.values(), ...kb.sizeOnlyModels.values()]
    .filter((model) => model.familyId === family.id)
    .flatMap((entry) => {
      const sized = sizedFromEntry(entry);
      return sized && sizeAgrees(sized, total) ? [{ entry, sized }] : [];
    });
  // "llama 3.1 8b" is not Llama 3 8B: only a row whose name the question repeats is taken.
  const asNamed = candidates.find(({ entry }) => nameWordsIn(entry.displayName, text));
  if (asNamed || versionNamed) return asNamed ?? null;
  // A row whose name carries the size asked for first ("405b" is Llama 3.1 405B, not Maverick's
  // 400B), then the closest size, then the newest ("llama 70b" is Llama 3.3 70B).
  const typedSize = `${formatBillions(total / 1e9)}b`;
  const named = (candidate: { entry: Model }) =>
    candidate.entry.displayName
      .toLowerCase()
      .replace(/[\s_]+/g, "-")
      .split("-")
      .includes(typedSize)
      ? 0
      : 1;
  const closeness = (candidate: { sized: SizedModel }) => Math.floor(sizeGap(candidate.sized, total) / 0.05);
  return (
    candidates.sort(
      (a, b) =>
        named(a) - named(b) ||
        closeness(a) - closeness(b) ||
        (b.entry.releasedDate ?? "").localeCompare(a.entry.releasedDate ?? ""),
    )[0] ?? null
  );
}

/** Every word of a row's name is a word of the question, or two of its words run together ("qwen 3"). */
function nameWordsIn(displayName: string, text: string): boolean {
  const words = displayName
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter((word) => word && !/^(?:instruct|chat|it|base|hf|v\d+\.\d+)$/.test(word));
  const typed = text
    .toLowerCase()
    .split(/[\s_,;:!?()/-]+/)
    .filter(Boolean);
  const present = new Set([...typed, ...typed.slice(1).map((word, at) => `${typed[at]}${word}`)]);
  return words.length > 0 && words.every((word) => present.has(word));
}

function nameAsWritten(frame: Frame, fallback: string): string {
  const span = frame.nameSpans[0];
  if (!span) return fallback;
  const written = frame.text.length === frame.resolvedText.length ? frame.text : frame.resolvedText;
  const text = written.slice(span[0], span[1]).trim();
  if (text.length < 2) return fallback;
  // "llama 3.1 8b" shown as "Llama 3.1 8B".
  return `${text[0]!.toUpperCase()}${text.slice(1)}`.replace(
    /\b(\d+(?:\.\d+)?)([bmt])\b/g,
    (_, n, unit) => `${n}${unit.toUpperCase()}`,
  );
}

export function formatBillions(billions: number): string {
  return billions >= 10 ? String(Math.round(billions)) : String(Math.round(billions * 10) / 10);
}
