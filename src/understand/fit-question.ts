import { FORMAT_BY_WIDTH, QUANT_FORMATS, type QuantFormat, RUNTIMES, type RuntimeId } from "../knowledge/fit-method.ts";
import { hasUnifiedMemory } from "../knowledge/hardware.ts";
import { foldText } from "../knowledge/normalize.ts";
import type { Hardware, KnowledgeBase } from "../knowledge/types.ts";
import type { Vocabulary } from "./vocabulary.ts";

export type FitIntent = "fit" | "memory" | "speed" | "capacity";

/** The hardware a fit question names: a catalogue part, or only an amount of memory ("a 24 GB card"). */
export interface NamedHardware {
  entry: Hardware | null;
  /** The memory the asker has, when they give it: their configuration of a part, or a bare amount. */
  memoryGb: number | null;
  /** Unified memory (a Mac, a Strix Halo box), as named or implied ("64gb mac"). */
  unified: boolean;
  units: number;
  /** Where the name sits in the folded question. */
  span: [number, number] | null;
}

/** What a fit or speed question asks, and the figures it gives; unset figures take the method's defaults. */
export interface FitQuestion {
  intent: FitIntent | null;
  hardware: NamedHardware | null;
  format: QuantFormat | null;
  /** "4-bit" or "8-bit": a width whose format depends on the runtime. */
  width: "4bit" | "8bit" | null;
  runtime: RuntimeId | null;
  contextTokens: number | null;
  /** A second catalogue part weighed against the first ("is a 5090 faster than my 4090?"). */
  against: Hardware | null;
}

const UNIFIED_WORDS = /\b(?:mac|macbook|imac|mac ?mini|mac ?studio|unified)\b/;
/** How far before a card's name its count may sit ("two rtx 3090s"). */
const COUNT_WINDOW = 24;
/** How far from a part's name the memory of the asker's configuration may sit ("m4 max with 64gb"). */
const CONFIG_WINDOW = 24;

export function readFitQuestion(kb: KnowledgeBase, vocab: Vocabulary, question: string): FitQuestion {
  const folded = foldText(question);
  const runtime = vocab.first("runtime", question) as RuntimeId | null;
  const first = findHardware(kb, folded);
  return {
    intent: vocab.first("fit", question) as FitIntent | null,
    hardware: readHardware(vocab, folded, first),
    format: readFormat(folded),
    width: vocab.has("fit-figure", "4bit", question)
      ? "4bit"
      : vocab.has("fit-figure", "8bit", question)
        ? "8bit"
        : null,
    runtime: runtime && RUNTIMES.some((known) => known.id === runtime) ? runtime : null,
    contextTokens: readContext(vocab, question),
    // "A 3090 and a 3060, can I use both?" names two parts without weighing them.
    against: vocab.has("intent", "weighs-parts", question) ? secondPart(kb, folded, first) : null,
  };
}

/** A format named outright ("q5_k_m", "awq"), the longest name first. */
function readFormat(folded: string): QuantFormat | null {
  let best: { format: QuantFormat; length: number } | null = null;
  for (const format of QUANT_FORMATS) {
    for (const alias of format.aliases) {
      if (best && alias.length <= best.length) continue;
      if (wordPattern(alias).test(folded)) best = { format, length: alias.length };
    }
  }
  return best?.format ?? null;
}

function readContext(vocab: Vocabulary, question: string): number | null {
  const match = vocab.capture("fit-figure", "context", question);
  if (!match?.[1]) return null;
  const value = Number(match[1].replace(",", match[2] ? "." : ""));
  const scale = match[2] === "k" ? 1024 : match[2] === "m" ? 1024 * 1024 : 1;
  const tokens = Math.round(value * scale);
  return tokens >= 256 && tokens <= 10_000_000 ? tokens : null;
}

function readHardware(vocab: Vocabulary, folded: string, named: FoundHardware | null): NamedHardware | null {
  const amounts = [...folded.matchAll(memoryAmounts(vocab))].map((match) => ({
    gb: Number(match[1]),
    at: match.index ?? 0,
    end: (match.index ?? 0) + match[0].length,
  }));
  if (named) {
    const [start, end] = named.span;
    const before = folded.slice(Math.max(0, start - COUNT_WINDOW), start);
    const units = readUnits(vocab, before);
    // "M4 Max 64GB": the asker's configuration, when it is one the part comes in (no more than its largest).
    const config = amounts.find(
      (amount) =>
        (amount.at >= end && amount.at - end <= CONFIG_WINDOW) || (amount.end <= start && start - amount.end <= 8),
    );
    const memoryGb = config && config.gb <= named.entry.memoryGb && config.gb >= 4 ? config.gb : null;
    return { ...namedPart(named.entry, units), memoryGb, span: named.span };
  }
  const [amount] = amounts.filter((candidate) => candidate.gb >= 2 && candidate.gb <= 2048);
  if (!amount) return null;
  const before = folded.slice(Math.max(0, amount.at - COUNT_WINDOW), amount.at);
  return {
    entry: null,
    memoryGb: amount.gb,
    unified: UNIFIED_WORDS.test(folded),
    units: readUnits(vocab, before),
    span: [amount.at, amount.end],
  };
}

/** The part named after the first one is blanked out, when it is another part. */
function secondPart(kb: KnowledgeBase, folded: string, first: FoundHardware | null): Hardware | null {
  if (!first) return null;
  const [start, end] = first.span;
  const second = findHardware(kb, `${folded.slice(0, start)}${" ".repeat(end - start)}${folded.slice(end)}`);
  return second && second.entry.slug !== first.entry.slug ? second.entry : null;
}

/** A catalogue part as named hardware, in the configuration the catalogue gives. */
export function namedPart(entry: Hardware, units = 1): NamedHardware {
  return { entry, memoryGb: null, unified: hasUnifiedMemory(entry), units, span: null };
}

function readUnits(vocab: Vocabulary, before: string): number {
  const [found] = vocab.matches("units", before);
  if (!found) return 1;
  const count = found.cue.means === "count" ? Number(found.match[1]) : Number(found.cue.means);
  return Number.isInteger(count) && count >= 1 && count <= 64 ? count : 1;
}

const amountPatterns = new WeakMap<Vocabulary, RegExp>();

/** The memory-amount cue as a global pattern (every amount in a question), compiled once. */
function memoryAmounts(vocab: Vocabulary): RegExp {
  let pattern = amountPatterns.get(vocab);
  if (!pattern) {
    const cue = vocab.cues.find((candidate) => candidate.group === "fit-figure" && candidate.means === "memory-amount");
    pattern = new RegExp(cue?.regexes[0]?.source ?? "(?!)", "g");
    amountPatterns.set(vocab, pattern);
  }
  return pattern;
}

interface HardwareName {
  name: string;
  entry: Hardware;
  /** An alias the data gives outright beats one derived from the name. */
  explicit: boolean;
  /** The name's words, each of which a question naming it contains. */
  parts: string[];
}

const namesByKb = new WeakMap<KnowledgeBase, HardwareName[]>();
const VENDOR_WORDS = /\b(?:nvidia|geforce|amd|radeon|apple|intel)\b/g;

/** Every name a part goes by, longest first: its name, its name without the vendor, its aliases. */
export function hardwareNames(kb: KnowledgeBase): HardwareName[] {
  let names = namesByKb.get(kb);
  if (names) return names;
  names = [];
  for (const entry of kb.hardware.values()) {
    const full = foldText(entry.name);
    const bare = full.replace(VENDOR_WORDS, " ").replace(/\s+/g, " ").trim();
    const parts = (name: string) => name.split(/[\s_-]+/).filter(Boolean);
    for (const alias of entry.aliases) {
      const name = foldText(alias);
      names.push({ name, entry, explicit: true, parts: parts(name) });
    }
    for (const name of [full, bare, foldText(entry.slug).replace(/-/g, " ")])
      if (name.length >= 3) names.push({ name, entry, explicit: false, parts: parts(name) });
  }
  names.sort((a, b) => b.name.length - a.name.length || Number(b.explicit) - Number(a.explicit));
  namesByKb.set(kb, names);
  return names;
}

/**
 * The first hardware named in the question, by its longest name there ("RTX 4090" over "4090");
 * spaces and hyphens in a name are interchangeable.
 */
interface FoundHardware {
  entry: Hardware;
  span: [number, number];
}

export function findHardware(kb: KnowledgeBase, folded: string): FoundHardware | null {
  let best: FoundHardware | null = null;
  for (const { name, entry, parts } of hardwareNames(kb)) {
    // Every word of a name must be in the question before its pattern is worth trying.
    if (!parts.every((part) => folded.includes(part))) continue;
    const match = wordPattern(name).exec(folded);
    if (!match) continue;
    const span: [number, number] = [match.index, match.index + match[0].length];
    // Names come longest first: a later one wins only by starting earlier.
    if (!best || span[0] < best.span[0]) best = { entry, span };
  }
  return best;
}

const patterns = new Map<string, RegExp>();

/** A name as whole words, its separators loose ("rtx-4090", "rtx4090"), a plural "s" allowed. */
function wordPattern(name: string): RegExp {
  let pattern = patterns.get(name);
  if (!pattern) {
    const body = name
      .split(/[\s_-]+/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[\\s_-]*");
    pattern = new RegExp(`(?<![a-z0-9])${body}(?:s|'s)?(?![a-z0-9])`);
    patterns.set(name, pattern);
  }
  return pattern;
}

/** The format a question's width means for a runtime: "4-bit" is Q4_K_M in llama.cpp, AWQ in vLLM. */
export function formatForWidth(width: "4bit" | "8bit", runtime: RuntimeId): QuantFormat | undefined {
  const id = FORMAT_BY_WIDTH[width][runtime];
  return QUANT_FORMATS.find((format) => format.id === id);
}
