import { describe, expect, it } from "vitest";
import {
  decodeSpeed,
  type HardwareSpec,
  kvCacheGb,
  kvShape,
  maxContextTokens,
  memoryBill,
  type Setup,
  type SizedModel,
  weightsGb,
} from "../src/answers/fit/estimate.ts";
import { quantFormat, runtime } from "../src/knowledge/fit-method.ts";

const shape = (
  layers: number | null,
  kvHeads: number | null,
  headDim: number | null,
  variant: string | null = null,
) => ({
  variant,
  layers,
  kvHeads,
  headDim,
  hiddenSize: null,
  kvBytesPerTokenFp16: null,
});

const dense = (billions: number, attention = shape(null, null, null)): SizedModel => ({
  name: `${billions}B`,
  slug: null,
  paramsTotal: billions * 1e9,
  paramsActive: billions * 1e9,
  moe: false,
  attention,
});

const llama70b = dense(70.6, shape(80, 8, 128, "gqa"));
const rtx4090: HardwareSpec = {
  name: "RTX 4090",
  memoryGb: 24,
  bandwidthGbs: 1008,
  fp16Tflops: null,
  fp8Tflops: null,
  interconnect: "pcie",
  unified: false,
};
const format = (id: string) => quantFormat(id)!;
const setup = (overrides: Partial<Setup> = {}): Setup => ({
  hardware: rtx4090,
  units: 1,
  format: format("q4_k_m"),
  runtime: runtime("llama.cpp")!,
  contextTokens: 8192,
  ...overrides,
});

describe("the site's fit method: weights", () => {
  it("gives the lessons' worked figures: a 7B is about 14 GB at FP16, 7 at FP8, 4 at 4-bit", () => {
    expect(weightsGb(dense(7), format("fp16"))).toBeCloseTo(14, 5);
    expect(weightsGb(dense(7), format("fp8"))).toBeCloseTo(7, 5);
    expect(weightsGb(dense(7), format("q4_k_m"))).toBeCloseTo(3.92, 5);
    expect(weightsGb(dense(7), format("awq-4"))).toBeCloseTo(3.5, 5);
  });

  it("a 70B is about 140 GB at FP16, 70 at FP8 and 39 at Q4_K_M", () => {
    expect(weightsGb(dense(70), format("fp16"))).toBeCloseTo(140, 5);
    expect(weightsGb(dense(70), format("fp8"))).toBeCloseTo(70, 5);
    expect(weightsGb(dense(70), format("q4_k_m"))).toBeCloseTo(39.2, 5);
  });

  it("a mixture of experts loads all its parameters, not only the active ones", () => {
    const moe: SizedModel = { ...dense(30.5), paramsActive: 3.3e9, moe: true };
    expect(weightsGb(moe, format("q4_k_m"))).toBeCloseTo(17.08, 2);
  });
});

describe("the site's fit method: KV cache", () => {
  it("is 2 x layers x KV heads x head size x 2 bytes per token: Llama 3 70B holds 0.33 MB a token, 2.7 GB at 8K", () => {
    const kv = kvShape(llama70b);
    expect(kv.bytesPerTokenFp16).toBe(327_680);
    expect(kv.estimated).toBe(false);
    expect(kvCacheGb(kv, 8192)).toBeCloseTo(2.684, 3);
    expect(kvCacheGb(kv, 8192, 4)).toBeCloseTo(4 * 2.684, 2);
  });

  it("estimates a missing shape as the site does: head size 128, KV heads by attention, layers by size", () => {
    expect(kvShape(dense(3))).toMatchObject({ layers: 28, kvHeads: 8, headDim: 128, estimated: true });
    expect(kvShape(dense(8))).toMatchObject({ layers: 32 });
    expect(kvShape(dense(14))).toMatchObject({ layers: 40 });
    expect(kvShape(dense(32))).toMatchObject({ layers: 48 });
    expect(kvShape(dense(70))).toMatchObject({ layers: 64 });
    expect(kvShape(dense(405))).toMatchObject({ layers: 80 });
    expect(kvShape(dense(7, shape(null, null, null, "mqa"))).kvHeads).toBe(1);
    expect(kvShape(dense(7, shape(null, null, null, "mla"))).kvHeads).toBe(4);
    expect(kvShape(dense(7, shape(null, null, null, "sliding-gqa"))).kvHeads).toBe(8);
    const mha = { ...dense(7), attention: { ...shape(null, null, null, "mha"), hiddenSize: 4096 } };
    expect(kvShape(mha).kvHeads).toBe(32);
  });

  it("takes a per-token figure the data gives outright over the formula", () => {
    const mla = { ...dense(671), attention: { ...shape(61, null, null, "mla"), kvBytesPerTokenFp16: 70_272 } };
    expect(kvShape(mla)).toMatchObject({ bytesPerTokenFp16: 70_272, estimated: false });
  });
});

describe("the site's fit method: overhead and usable memory", () => {
  it("llama.cpp adds 0.75 GB and 3% of the weights, and may use all of a card: 70B at Q4_K_M does not fit in 24 GB", () => {
    const bill = memoryBill(llama70b, setup());
    expect(bill.weightsGb).toBeCloseTo(39.54, 2);
    expect(bill.overheadGb).toBeCloseTo(0.75 + 0.03 * 39.536, 3);
    expect(bill.needGb).toBeCloseTo(39.536 + 2.684 + 1.936, 2);
    expect(bill.usableGb).toBe(24);
    expect(bill.fits).toBe(false);
  });

  it("several units multiply capacity: two 24 GB cards hold it", () => {
    const bill = memoryBill(llama70b, setup({ units: 2 }));
    expect(bill.usableGb).toBe(48);
    expect(bill.fits).toBe(true);
  });

  it("MLX adds 0.5 GB and 3%, and leaves a quarter of unified memory to the system", () => {
    const mac: HardwareSpec = { ...rtx4090, name: "Mac", memoryGb: 192, bandwidthGbs: 819, unified: true };
    const bill = memoryBill(llama70b, setup({ hardware: mac, runtime: runtime("mlx")!, format: format("mlx-4bit") }));
    expect(bill.usableGb).toBe(144);
    expect(bill.overheadGb).toBeCloseTo(0.5 + 0.03 * 39.536, 3);
    expect(bill.fits).toBe(true);
  });

  it("vLLM reserves 90% of memory and needs 1.5 GB for activations", () => {
    const h100: HardwareSpec = { ...rtx4090, memoryGb: 80, bandwidthGbs: 3350 };
    const bill = memoryBill(llama70b, setup({ hardware: h100, runtime: runtime("vllm")!, format: format("awq-4") }));
    expect(bill.usableGb).toBeCloseTo(72, 5);
    expect(bill.overheadGb).toBe(1.5);
    expect(bill.weightsGb).toBeCloseTo(35.3, 1);
  });

  it("the most context that fits is what the spare memory holds, in whole thousands", () => {
    const eight = dense(8, shape(32, 8, 128, "gqa"));
    const tokens = maxContextTokens(eight, setup({ hardware: { ...rtx4090, memoryGb: 8 } }));
    // 8 - (4.48 + 0.75 + 0.1344) GB spare, at 131,072 bytes a token.
    expect(tokens).toBe(Math.floor((8 - 4.48 - 0.75 - 0.1344) / 131_072e-9 / 1024) * 1024);
  });
});

describe("the site's fit method: decode speed", () => {
  it("is bandwidth over the bytes read per token, with the runtime's efficiency band and per-token cost", () => {
    const eight = dense(8, shape(32, 8, 128, "gqa"));
    const speed = decodeSpeed(eight, setup())!;
    const bytes = 8 * 0.56 + (131_072 * 8192) / 1e9;
    expect(speed.bytesPerTokenGb).toBeCloseTo(bytes, 6);
    expect(speed.ceiling).toBeCloseTo(1008 / bytes, 6);
    expect(speed.low).toBeCloseTo(1 / (bytes / (1008 * 0.8) + 0.003), 6);
    expect(speed.high).toBeCloseTo(1 / (bytes / (1008 * 0.96) + 0.0015), 6);
    expect(speed.computeCap).toBeNull();
  });

  it("a mixture of experts reads only its active parameters per token", () => {
    const moe: SizedModel = { ...dense(30.5, shape(48, 4, 128, "gqa")), paramsActive: 3.3e9, moe: true };
    const speed = decodeSpeed(moe, setup())!;
    expect(speed.bytesPerTokenGb).toBeCloseTo(3.3 * 0.56 + (2 * 48 * 4 * 128 * 2 * 8192) / 1e9, 6);
  });

  it("several units scale bandwidth by the interconnect's efficiency", () => {
    const speed = decodeSpeed(llama70b, setup({ units: 2 }))!;
    expect(speed.bandwidthGbs).toBeCloseTo(1008 * 2 * 0.6, 6);
    const nvlink = decodeSpeed(llama70b, setup({ units: 8, hardware: { ...rtx4090, interconnect: "nvswitch" } }))!;
    expect(nvlink.bandwidthGbs).toBeCloseTo(1008 * 8 * 0.92, 6);
  });

  it("is capped by compute where the chip has a dense figure, with FP8 FLOPS for one-byte weights", () => {
    const slowChip: HardwareSpec = { ...rtx4090, bandwidthGbs: 100_000, fp16Tflops: 10, fp8Tflops: 20 };
    const eight = dense(8, shape(32, 8, 128, "gqa"));
    const fp16 = decodeSpeed(eight, setup({ hardware: slowChip, format: format("fp16") }))!;
    expect(fp16.computeCap).toBeCloseTo((10e12 * 0.5) / (2 * 8e9), 6);
    expect(fp16.high).toBeLessThanOrEqual(fp16.computeCap!);
    const fp8 = decodeSpeed(eight, setup({ hardware: slowChip, format: format("fp8"), runtime: runtime("vllm")! }))!;
    expect(fp8.computeCap).toBeCloseTo((20e12 * 0.5) / (2 * 8e9), 6);
  });

  it("needs the bandwidth: a card known only by its memory gets no speed", () => {
    expect(decodeSpeed(llama70b, setup({ hardware: { ...rtx4090, bandwidthGbs: null } }))).toBeNull();
  });
});
