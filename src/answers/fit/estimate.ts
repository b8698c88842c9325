import {
  COMPUTE_UTILISATION,
  ESTIMATED_HEAD_DIM,
  ESTIMATED_KV_HEADS,
  ESTIMATED_LAYERS,
  INTERCONNECT_EFFICIENCY,
  type QuantFormat,
  type Runtime,
} from "../../knowledge/fit-method.ts";
import type { ModelAttention } from "../../knowledge/types.ts";

const GB = 1e9;

/** A model as the estimate sees it: its size, and its attention shape as far as known. */
export interface SizedModel {
  name: string;
  /** The model's row in the data; null for a size read from the question ("a 70B"). */
  slug: string | null;
  paramsTotal: number;
  /** Parameters read per token: all of them for a dense model, the active experts for a MoE. */
  paramsActive: number;
  moe: boolean;
  attention: ModelAttention;
}

/** The memory and bandwidth an estimate runs on: one catalogue part, or "a 24 GB card". */
export interface HardwareSpec {
  name: string;
  memoryGb: number;
  /** Null when only the memory is known: no speed can be estimated. */
  bandwidthGbs: number | null;
  fp16Tflops: number | null;
  fp8Tflops: number | null;
  interconnect: string;
  /** Apple and x86 unified memory: the OS keeps a share. */
  unified: boolean;
}

export interface Setup {
  hardware: HardwareSpec;
  units: number;
  format: QuantFormat;
  runtime: Runtime;
  contextTokens: number;
}

export interface KvShape {
  layers: number;
  kvHeads: number;
  headDim: number;
  bytesPerTokenFp16: number;
  /** True when any part of the shape is the site's estimate rather than the model's own figure. */
  estimated: boolean;
}

/** KV cache per token = 2 (keys and values) x layers x KV heads x head dimension x 2 bytes (FP16). */
export function kvShape(model: SizedModel): KvShape {
  const { attention } = model;
  const billions = model.paramsTotal / 1e9;
  const layers =
    attention.layers ?? ESTIMATED_LAYERS.find(([bound]) => billions <= bound)?.[1] ?? ESTIMATED_LAYERS.at(-1)![1];
  const headDim = attention.headDim ?? ESTIMATED_HEAD_DIM;
  const kvHeads = attention.kvHeads ?? estimatedKvHeads(attention);
  const fromShape = 2 * layers * kvHeads * headDim * 2;
  const given = attention.kvBytesPerTokenFp16;
  return {
    layers,
    kvHeads,
    headDim,
    bytesPerTokenFp16: given ?? fromShape,
    estimated:
      given === null && (attention.layers === null || attention.kvHeads === null || attention.headDim === null),
  };
}

function estimatedKvHeads(attention: ModelAttention): number {
  const variant = attention.variant ?? "gqa";
  if (variant === "mha") return attention.hiddenSize ? Math.round(attention.hiddenSize / ESTIMATED_HEAD_DIM) : 32;
  if (variant.includes("sliding")) return ESTIMATED_KV_HEADS.sliding!;
  return ESTIMATED_KV_HEADS[variant] ?? ESTIMATED_KV_HEADS.gqa!;
}

export function weightsGb(model: SizedModel, format: QuantFormat): number {
  return (model.paramsTotal * format.bytesPerParam) / GB;
}

export function kvCacheGb(shape: KvShape, contextTokens: number, streams = 1): number {
  return (shape.bytesPerTokenFp16 * contextTokens * streams) / GB;
}

export interface MemoryBill {
  weightsGb: number;
  kvGb: number;
  overheadGb: number;
  needGb: number;
  /** What the runtime may use on these units. */
  usableGb: number;
  fits: boolean;
  /** (usable - need) / usable: negative when it does not fit. */
  headroom: number;
  kv: KvShape;
}

export function usableMemoryGb(setup: Setup): number {
  const total = setup.hardware.memoryGb * setup.units;
  const unifiedShare = setup.hardware.unified ? setup.runtime.unifiedUsableShare : 1;
  const memory = setup.runtime.memory;
  const reserved = memory.kind === "reserve" ? memory.reservedShare : 1;
  return total * Math.min(unifiedShare, reserved);
}

export function memoryBill(model: SizedModel, setup: Setup): MemoryBill {
  const weights = weightsGb(model, setup.format);
  const kv = kvShape(model);
  const kvGb = kvCacheGb(kv, setup.contextTokens);
  const memory = setup.runtime.memory;
  const overheadGb =
    memory.kind === "additive" ? memory.fixedGb + memory.shareOfWeights * weights : memory.activationsGb;
  const needGb = weights + kvGb + overheadGb;
  const usableGb = usableMemoryGb(setup);
  return {
    weightsGb: weights,
    kvGb,
    overheadGb,
    needGb,
    usableGb,
    fits: needGb <= usableGb,
    headroom: (usableGb - needGb) / usableGb,
    kv,
  };
}

export interface SpeedEstimate {
  /** Bandwidth / bytes per token: no single stream beats it. */
  ceiling: number;
  /** The realistic single-stream band. */
  low: number;
  high: number;
  /** Set when the chip's compute, not its bandwidth, limits the speed. */
  computeCap: number | null;
  bytesPerTokenGb: number;
  /** The bandwidth the units give together, after the interconnect's losses. */
  bandwidthGbs: number;
}

/** Single-stream decode: every token reads the active weights and the KV cache once. */
export function decodeSpeed(model: SizedModel, setup: Setup): SpeedEstimate | null {
  const { hardware, units, runtime, format } = setup;
  if (hardware.bandwidthGbs === null) return null;
  const bandwidthGbs =
    units > 1
      ? hardware.bandwidthGbs *
        units *
        (INTERCONNECT_EFFICIENCY[hardware.interconnect] ?? INTERCONNECT_EFFICIENCY.pcie!)
      : hardware.bandwidthGbs;
  const bytesPerTokenGb =
    (model.paramsActive * format.bytesPerParam) / GB + kvCacheGb(kvShape(model), setup.contextTokens);
  const perToken = (efficiency: number, overheadMs: number) =>
    1 / (bytesPerTokenGb / (bandwidthGbs * efficiency) + overheadMs / 1000);
  const flops = format.bytesPerParam <= 1 && hardware.fp8Tflops ? hardware.fp8Tflops : hardware.fp16Tflops;
  const computeCap = flops ? (flops * 1e12 * units * COMPUTE_UTILISATION) / (2 * model.paramsActive) : null;
  const cap = (value: number) => (computeCap !== null ? Math.min(value, computeCap) : value);
  const ceiling = bandwidthGbs / bytesPerTokenGb;
  return {
    ceiling: cap(ceiling),
    low: cap(perToken(runtime.efficiency[0], runtime.perTokenMs[1])),
    high: cap(perToken(runtime.efficiency[1], runtime.perTokenMs[0])),
    computeCap: computeCap !== null && computeCap < ceiling ? computeCap : null,
    bytesPerTokenGb,
    bandwidthGbs,
  };
}

/** The most context that still fits, in whole thousands of tokens; 0 when not even the weights fit. */
export function maxContextTokens(model: SizedModel, setup: Setup): number {
  const bill = memoryBill(model, { ...setup, contextTokens: 0 });
  const spare = bill.usableGb - bill.needGb;
  if (spare <= 0) return 0;
  const perToken = bill.kv.bytesPerTokenFp16 / GB;
  return Math.floor(spare / perToken / 1024) * 1024;
}
