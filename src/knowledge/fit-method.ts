// The site's published fit and speed method (its hardware explorer and the self-hosting lessons
// "GPU memory math", "Memory bandwidth" and "Quantization formats"): the tables it uses, as data.
// Decimal units throughout: 1 GB = 1e9 bytes.

export type RuntimeId = "llama.cpp" | "vllm" | "sglang" | "mlx" | "exllamav2";

export interface QuantFormat {
  /** The id the site's benchmark rows use. */
  id: string;
  label: string;
  bytesPerParam: number;
  /** What people type for it, folded: "q4", "4bit", "awq". */
  aliases: readonly string[];
  /** The runtimes that load this format. */
  runtimes: readonly RuntimeId[];
}

export const QUANT_FORMATS: readonly QuantFormat[] = [
  {
    id: "fp16",
    label: "FP16/BF16",
    bytesPerParam: 2.0,
    aliases: ["fp16", "bf16", "f16", "16bit", "half precision", "unquantized", "unquantised", "full precision"],
    runtimes: ["llama.cpp", "vllm", "sglang", "mlx", "exllamav2"],
  },
  { id: "fp8", label: "FP8", bytesPerParam: 1.0, aliases: ["fp8", "f8", "e4m3"], runtimes: ["vllm", "sglang"] },
  { id: "int8", label: "INT8", bytesPerParam: 1.0, aliases: ["int8", "w8a8"], runtimes: ["vllm", "sglang"] },
  { id: "q8_0", label: "GGUF Q8_0", bytesPerParam: 1.06, aliases: ["q8_0", "q8", "q80"], runtimes: ["llama.cpp"] },
  { id: "q6_k", label: "GGUF Q6_K", bytesPerParam: 0.82, aliases: ["q6_k", "q6", "6bit"], runtimes: ["llama.cpp"] },
  {
    id: "q5_k_m",
    label: "GGUF Q5_K_M",
    bytesPerParam: 0.69,
    aliases: ["q5_k_m", "q5", "q5_k", "5bit"],
    runtimes: ["llama.cpp"],
  },
  {
    id: "q4_k_m",
    label: "GGUF Q4_K_M",
    bytesPerParam: 0.56,
    aliases: ["q4_k_m", "q4", "q4_k", "q4km", "gguf"],
    runtimes: ["llama.cpp"],
  },
  { id: "q4_0", label: "GGUF Q4_0", bytesPerParam: 0.56, aliases: ["q4_0", "q40"], runtimes: ["llama.cpp"] },
  {
    id: "awq-4",
    label: "AWQ 4-bit",
    bytesPerParam: 0.5,
    aliases: ["awq", "awq-4", "awq 4bit"],
    runtimes: ["vllm", "sglang"],
  },
  {
    id: "gptq-4",
    label: "GPTQ 4-bit",
    bytesPerParam: 0.5,
    aliases: ["gptq", "gptq-4", "gptq 4bit", "exl2"],
    runtimes: ["vllm", "sglang", "exllamav2"],
  },
  {
    id: "mlx-4bit",
    label: "MLX 4-bit",
    bytesPerParam: 0.56,
    aliases: ["mlx-4bit", "mlx 4bit", "mlx4"],
    runtimes: ["mlx"],
  },
  {
    id: "mlx-8bit",
    label: "MLX 8-bit",
    bytesPerParam: 1.0,
    aliases: ["mlx-8bit", "mlx 8bit", "mlx8"],
    runtimes: ["mlx"],
  },
  {
    id: "q3_k_m",
    label: "GGUF Q3_K_M",
    bytesPerParam: 0.43,
    aliases: ["q3_k_m", "q3", "3bit"],
    runtimes: ["llama.cpp"],
  },
  { id: "q2_k", label: "GGUF Q2_K", bytesPerParam: 0.33, aliases: ["q2_k", "q2", "2bit"], runtimes: ["llama.cpp"] },
];

export interface Runtime {
  id: RuntimeId;
  label: string;
  /**
   * "additive": the runtime adds a fixed amount plus a share of the weights; "reserve": it takes a
   * share of memory up front, needs some for activations, and the rest becomes the KV pool.
   */
  memory:
    | { kind: "additive"; fixedGb: number; shareOfWeights: number }
    | { kind: "reserve"; reservedShare: number; activationsGb: number; flag: string };
  /** The share of unified memory the runtime may use (the rest stays with the OS). */
  unifiedUsableShare: number;
  /** The share of memory bandwidth a single stream reaches, low to high. */
  efficiency: readonly [number, number];
  /** A fixed cost per generated token, in milliseconds, low to high. */
  perTokenMs: readonly [number, number];
  /** The format used when none is asked for. */
  defaultFormat: string;
}

export const RUNTIMES: readonly Runtime[] = [
  {
    id: "llama.cpp",
    label: "llama.cpp",
    memory: { kind: "additive", fixedGb: 0.75, shareOfWeights: 0.03 },
    unifiedUsableShare: 1,
    efficiency: [0.8, 0.96],
    perTokenMs: [1.5, 3.0],
    defaultFormat: "q4_k_m",
  },
  {
    id: "vllm",
    label: "vLLM",
    memory: { kind: "reserve", reservedShare: 0.9, activationsGb: 1.5, flag: "--gpu-memory-utilization" },
    unifiedUsableShare: 1,
    efficiency: [0.78, 0.92],
    perTokenMs: [1.0, 2.0],
    defaultFormat: "awq-4",
  },
  {
    id: "sglang",
    label: "SGLang",
    memory: { kind: "reserve", reservedShare: 0.9, activationsGb: 1.5, flag: "--mem-fraction-static" },
    unifiedUsableShare: 1,
    efficiency: [0.78, 0.92],
    perTokenMs: [1.0, 2.0],
    defaultFormat: "awq-4",
  },
  {
    id: "exllamav2",
    label: "ExLlamaV2",
    memory: { kind: "additive", fixedGb: 0.5, shareOfWeights: 0.02 },
    unifiedUsableShare: 1,
    efficiency: [0.8, 0.93],
    perTokenMs: [1.5, 2.5],
    defaultFormat: "gptq-4",
  },
  {
    id: "mlx",
    label: "MLX",
    memory: { kind: "additive", fixedGb: 0.5, shareOfWeights: 0.03 },
    unifiedUsableShare: 0.75,
    efficiency: [0.55, 0.8],
    perTokenMs: [2.0, 3.5],
    defaultFormat: "mlx-4bit",
  },
];

/** How much of each extra unit's bandwidth several units keep, by how they are joined. */
export const INTERCONNECT_EFFICIENCY: Readonly<Record<string, number>> = {
  nvswitch: 0.92,
  nvlink: 0.9,
  "infinity-fabric": 0.85,
  pcie: 0.6,
  none: 0.6,
};

/** "4-bit" and "8-bit" name a width, not a file format: each runtime has its own. */
export const FORMAT_BY_WIDTH: Readonly<Record<"4bit" | "8bit", Readonly<Partial<Record<RuntimeId, string>>>>> = {
  "4bit": { "llama.cpp": "q4_k_m", mlx: "mlx-4bit", vllm: "awq-4", sglang: "awq-4", exllamav2: "gptq-4" },
  "8bit": { "llama.cpp": "q8_0", mlx: "mlx-8bit", vllm: "fp8", sglang: "fp8" },
};

export const DEFAULT_CONTEXT_TOKENS = 8192;
/** The share of dense FLOPS a single stream uses when compute, not bandwidth, is the limit. */
export const COMPUTE_UTILISATION = 0.5;

/** The site's estimate of an attention shape a model's data does not give. */
export const ESTIMATED_HEAD_DIM = 128;
export const ESTIMATED_KV_HEADS: Readonly<Record<string, number>> = { gqa: 8, sliding: 8, mqa: 1, mla: 4 };
/** Layers by total size in billions of parameters: the first bound the model fits under. */
export const ESTIMATED_LAYERS: readonly (readonly [number, number])[] = [
  [4, 28],
  [10, 32],
  [20, 40],
  [40, 48],
  [80, 64],
  [Number.POSITIVE_INFINITY, 80],
];

export function quantFormat(id: string): QuantFormat | undefined {
  return QUANT_FORMATS.find((format) => format.id === id);
}

export function runtime(id: string): Runtime | undefined {
  return RUNTIMES.find((candidate) => candidate.id === id);
}
