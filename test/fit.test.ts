import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import commands from "../commands/fit.ts";
import { answerAsk } from "../src/answers/ask.ts";
import { answerFitCommand } from "../src/answers/fit/command.ts";
import type { FitAnswer, FitCapacityAnswer } from "../src/answers/fit/fit.ts";
import { suggestFitModels, suggestFormats, suggestHardware } from "../src/answers/fit/suggest.ts";
import { UserFacingError } from "../src/answers/user-facing-error.ts";
import { siteShapedCopy } from "../src/cli/site-shaped.ts";
import { loadKnowledge } from "../src/load/knowledge-loader.ts";
import { firstScreenText } from "../src/payloads/limits.ts";
import { render } from "../src/payloads/render/index.ts";
import { readFitQuestion } from "../src/understand/fit-question.ts";
import { vocabulary } from "../src/understand/vocabulary.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const knowledge = bundledKnowledge();
const { kb } = knowledge;
const ask = (question: string) => answerAsk(knowledge, question);
const fitAnswer = (question: string) => {
  const answer = ask(question);
  expect(answer.type).toBe("fit");
  return answer as FitAnswer;
};
const firstScreen = (answer: ReturnType<typeof ask>) =>
  firstScreenText(render(answer, { command: "ask", hidden: false }));

describe("reading a fit question", () => {
  const read = (text: string) => readFitQuestion(kb, vocabulary(), text);

  it("finds the hardware by its short names, with the count before it", () => {
    expect(read("will it run on my 4090?").hardware?.entry?.slug).toBe("nvidia-rtx-4090");
    expect(read("two 3090s enough?").hardware).toMatchObject({ units: 2, entry: { slug: "nvidia-rtx-3090" } });
    expect(read("on 8x H100 SXM").hardware).toMatchObject({ units: 8 });
    expect(read("dgx spark or strix halo?").hardware?.entry?.slug).toBe("nvidia-dgx-spark");
  });

  it("takes the asker's memory configuration of a part, and a bare amount as an unnamed card or Mac", () => {
    expect(read("mac studio m3 ultra 192gb").hardware).toMatchObject({ memoryGb: 192, unified: true });
    expect(read("a single 24gb card").hardware).toMatchObject({ entry: null, memoryGb: 24, unified: false });
    expect(read("my 64gb mac").hardware).toMatchObject({ entry: null, memoryGb: 64, unified: true });
  });

  it("reads the format, the width, the runtime and the context", () => {
    expect(read("at q5_k_m please").format?.id).toBe("q5_k_m");
    expect(read("awq on vllm")).toMatchObject({ format: { id: "awq-4" }, runtime: "vllm" });
    expect(read("at 4-bit")).toMatchObject({ format: null, width: "4bit" });
    expect(read("with ollama").runtime).toBe("llama.cpp");
    expect(read("with 32k context").contextTokens).toBe(32_768);
    expect(read("context of 65536").contextTokens).toBe(65_536);
  });
});

describe("/ask answers fit questions with the site's method", () => {
  it("says yes or no first, with the memory bill against usable memory", () => {
    const yes = fitAnswer("will qwen3 30b a3b run on my 4090? thinking q4_k_m");
    expect(yes.bill.fits).toBe(true);
    expect(yes.model.moe).toBe(true);
    expect(firstScreen(yes)).toMatch(/Yes, it fits/);
    expect(firstScreen(yes)).toMatch(/all experts|all 30B parameters must be loaded/);

    const no = fitAnswer("can i run llama 3.3 70b on a single 24gb card at q4?");
    expect(no.bill.fits).toBe(false);
    expect(no.bill.weightsGb).toBeCloseTo(39.2, 0);
    expect(firstScreen(no)).toMatch(/No, it does not fit/);
    // The nearest thing that fits: more cards, a smaller format or a part with more memory.
    expect(no.alternatives.map((alternative) => alternative.kind)).toEqual(
      expect.arrayContaining(["units", "hardware"]),
    );
  });

  it("defaults to MLX on a Mac, with a quarter of memory left to the system", () => {
    const answer = fitAnswer("thinking about a mac studio m3 ultra 192gb, will llama 70b run on it at 4bit?");
    expect(answer.runtime.id).toBe("mlx");
    expect(answer.format.id).toBe("mlx-4bit");
    expect(answer.bill.usableGb).toBe(144);
    expect(answer.model.name).toMatch(/Llama 3\.3 70B/);
  });

  it("answers memory questions without hardware, and names the parts that hold it", () => {
    const answer = fitAnswer("how much vram does a 70b need at fp16");
    expect(answer.hardware).toBeNull();
    expect(answer.bill.weightsGb).toBeCloseTo(140, 5);
    expect(answer.alternatives.length).toBeGreaterThan(0);
    expect(firstScreen(answer)).toMatch(/About 140 GB for the weights/);
  });

  it("estimates speed as a band with its ceiling, and shows a measured figure beside it", () => {
    const answer = fitAnswer("how many tokens per second will i get with llama 3 8b on a 4090");
    expect(answer.speed!.low).toBeLessThan(answer.speed!.high);
    expect(answer.speed!.high).toBeLessThanOrEqual(answer.speed!.ceiling);
    expect(answer.measured[0]).toMatchObject({ modelSlug: "llama-3-8b", hardwareSlug: "nvidia-rtx-4090" });
    expect(firstScreen(answer)).toMatch(/Measured/);
  });

  it("lists what fits on a card, largest first", () => {
    const answer = ask("what can i run on a 24gb card") as FitCapacityAnswer;
    expect(answer.type).toBe("fit-capacity");
    expect(answer.fits.length).toBeGreaterThan(0);
    expect(answer.fits.every(({ needGb }) => needGb <= answer.usableGb)).toBe(true);
    expect(answer.tooBig.every(({ needGb }) => needGb > answer.usableGb)).toBe(true);
  });

  it("reads a model the data lacks by the size in its name, and says so", () => {
    const answer = fitAnswer("will olmo 2 13b fit on a 3060 12gb with 32k context");
    expect(answer.modelEntry).toBeNull();
    expect(answer.sizeFromName).toBe(true);
    expect(answer.contextTokens).toBe(32_768);
    expect(answer.model.paramsTotal).toBe(13e9);
    expect(firstScreen(answer)).toMatch(/Size read from the name/);
  });

  it("takes the row a size names: 'llama 405b' is Llama 3.1 405B, not the 400B Maverick; 'llama 70b' the newest 70B", () => {
    expect(fitAnswer("can a single mi300x hold llama 405b at fp8?").modelEntry?.slug).toBe("llama-3-1-405b");
    expect(fitAnswer("which gpu should i buy to run llama 70b").modelEntry?.slug).toBe("llama-3-3-70b");
    expect(fitAnswer("will llama 3.1 8b fit on a 3060").modelEntry?.slug).toBe("llama-3-1-8b");
  });

  it("reads a terse question, a model and a card, as a fit question", () => {
    expect(fitAnswer("gpt-oss 20b on my 3090?").bill.fits).toBe(true);
    expect(fitAnswer("qwen3 14b q4_k_m on an 8gb 4060?").hardware?.spec.memoryGb).toBe(8);
  });

  it("leaves licence questions that name hardware to the licence answers", () => {
    expect(ask("can i use llama 3.1 commercially? we run it on a 4090").type).not.toBe("fit");
    expect(ask("can i run a business on llama?").type).not.toBe("fit");
  });
});

describe("/fit", () => {
  it("takes ids from autocomplete and free text alike", () => {
    const byId = answerFitCommand(knowledge, { model: "qwen3-30b-a3b", hardware: "nvidia-rtx-4090" });
    const typed = answerFitCommand(knowledge, { model: "Qwen3 30B A3B", hardware: "4090" });
    expect(typed.bill.needGb).toBeCloseTo(byId.bill.needGb, 6);
    const two = answerFitCommand(knowledge, { model: "70b", hardware: "3090", units: 2, quant: "q4" });
    expect(two.hardware?.units).toBe(2);
    expect(two.format.id).toBe("q4_k_m");
    expect(answerFitCommand(knowledge, { model: "70b", hardware: "24" }).hardware?.spec.memoryGb).toBe(24);
    expect(answerFitCommand(knowledge, { model: "70b", hardware: "m3 ultra", quant: "mlx" }).format.id).toBe(
      "mlx-4bit",
    );
  });

  it("says what it cannot read, privately, instead of guessing", () => {
    expect(() => answerFitCommand(knowledge, { model: "llama-3-3-70b", hardware: "toaster" })).toThrow(UserFacingError);
    expect(() => answerFitCommand(knowledge, { model: "gpt-5" })).toThrow(/weights are not published/);
    expect(() => answerFitCommand(knowledge, { model: "something" })).toThrow(UserFacingError);
    expect(() => answerFitCommand(knowledge, { model: "8b", quant: "q9_z" })).toThrow(/Formats I know/);
    expect(() => answerFitCommand(knowledge, { model: "8b", runtime: "potato" })).toThrow(/Runtimes I know/);
  });

  it("autocompletes models with a size, hardware by short names and the formats", async () => {
    expect(suggestFitModels(kb, "qwen3 30").map((choice) => choice.value)).toContain("qwen3-30b-a3b");
    expect(suggestFitModels(kb, "").some((choice) => choice.value === "gpt-5")).toBe(false);
    expect(suggestHardware(kb, "4090")[0]?.value).toBe("nvidia-rtx-4090");
    expect(suggestHardware(kb, "spark")[0]?.value).toBe("nvidia-dgx-spark");
    expect(suggestFormats("q4")[0]?.value).toMatch(/^q4/);
    const choices = await commands.autocomplete!(
      { knowledge } as Parameters<NonNullable<typeof commands.autocomplete>>[0],
      { name: "hardware", value: "" },
    );
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.every((choice) => choice.name.length <= 100)).toBe(true);
  });
});

describe("hardware data on a checkout of the site", () => {
  it("our catalogue fills the site's gaps: its parts win, ours add the missing ones and the short names", () => {
    const dir = siteShapedCopy();
    writeFileSync(
      join(dir, "data", "hardware.yaml"),
      `hardware:
  - slug: nvidia-rtx-4090
    name: NVIDIA GeForce RTX 4090
    vendor: NVIDIA
    class: workstation
    memory_capacity_gb: 24
    memory_bandwidth_gbs: 1000
    interconnect: pcie
`,
    );
    const models = readFileSync(join(dir, "data", "models.yaml"), "utf8");
    writeFileSync(
      join(dir, "data", "models.yaml"),
      models.replace(/ {2}- slug: qwen3-14b\n[\s\S]*?(?=\n {2}- slug: )/, ""),
    );
    const site = loadKnowledge(dir, undefined, null).knowledge!;
    expect(site.kb.hardware.get("nvidia-rtx-4090")?.bandwidthGbs).toBe(1000);
    expect(site.kb.hardware.has("nvidia-rtx-3090")).toBe(true);
    const answer = answerAsk(site, "will qwen3 14b fit on my 4090?") as FitAnswer;
    expect(answer.hardware?.entry?.slug).toBe("nvidia-rtx-4090");
    // The site has no Qwen3-14B row: our data gives its real size, but it is not linked as a site entry.
    expect(site.kb.models.has("qwen3-14b")).toBe(false);
    expect(answer.model.paramsTotal).toBe(bundledKnowledge().kb.models.get("qwen3-14b")!.paramsTotal);
    expect(answer.modelEntry).toBeNull();
  });

  it("is read record by record: a bad row is a warning, the rest load", () => {
    const dir = siteShapedCopy();
    const file = join(dir, "data", "hardware.yaml");
    const text = readFileSync(file, "utf8").replace(/memory_bandwidth_gbs: 1008\b/, "memory_bandwidth_gbs: fast");
    writeFileSync(file, text);
    const loaded = loadKnowledge(dir, undefined, null);
    expect(loaded.knowledge).not.toBeNull();
    expect(loaded.knowledge!.kb.hardware.size).toBeGreaterThan(10);
    // The bad row is left out; our catalogue's row for the same part fills the gap.
    expect(loaded.knowledge!.kb.hardware.get("nvidia-rtx-4090")?.bandwidthGbs).toBe(1008);
    expect(loaded.warnings.some((warning) => /hardware\.yaml/.test(warning.file))).toBe(true);
  });
});

describe("two parts weighed for generation speed", () => {
  it("answers from their bandwidths, the part asked about first", async () => {
    const { render } = await import("../src/payloads/render/index.ts");
    const answer = answerAsk(knowledge, "is a 5090 actually much faster than my 4090 for generation or is it marginal");
    if (answer.type !== "hardware-compare") throw new Error(answer.type);
    expect([answer.subject.name, answer.other.name, answer.words]).toEqual([
      "NVIDIA GeForce RTX 5090",
      "NVIDIA GeForce RTX 4090",
      "faster",
    ]);
    const same = answerAsk(knowledge, "why does my 3090 get like the same tok/s as a 4090 on llama.cpp??");
    if (same.type !== "hardware-compare") throw new Error(same.type);
    expect(same.words).toBe("about the same as");
    const text = render(same, { command: "ask", hidden: false }).embeds?.[0]?.description ?? "";
    expect(text).toMatch(/bound by memory bandwidth.*936 GB\/s against 1,008 GB\/s/);
  });

  it("names the words for a ratio", async () => {
    const { speedWords } = await import("../src/answers/fit/hardware-compare.ts");
    expect([1.05, 0.9, 1.3, 2.5, 0.7, 0.4].map(speedWords)).toEqual([
      "about the same as",
      "about the same as",
      "faster",
      "much faster",
      "slower",
      "much slower",
    ]);
  });
});

describe("a serving engine's memory", () => {
  it("says the engine reserves its share up front, with the flag that sets it", async () => {
    const { render } = await import("../src/payloads/render/index.ts");
    const answer = answerAsk(knowledge, "qwen3 32b awq on a 4090 with vllm, how much room is left for kv cache");
    const text = render(answer, { command: "ask", hidden: false }).embeds?.[0]?.description ?? "";
    expect(text).toMatch(/vLLM reserves 90% of GPU memory up front, `--gpu-memory-utilization`/);
  });
});
