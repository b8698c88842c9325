import { describe, expect, it } from "vitest";
import { answerRef } from "../src/answers/answer-ref.ts";
import { answerAsk, answerFamily, answerLicence, answerTerm } from "../src/answers/lookups.ts";
import { MIN_TEXT_SCORE } from "../src/answers/resolve-entry.ts";
import type { Answer } from "../src/answers/types.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const knowledge = bundledKnowledge();
const found = (answer: Answer) => {
  const ref = answerRef(answer);
  return ref ? `${ref.kind}:${ref.id}` : answer.type;
};

describe("/term ranking", () => {
  it.each([
    ["mixture-of-experts", "exact id"],
    ["Mixture of experts", "exact name"],
    ["moe", "alias"],
    ["MoE", "alias, case"],
    ["mixture of expert", "singular"],
    ["mixtures of experts", "plural"],
    ["mixture-of-exprts", "one typo"],
  ])("%s (%s) -> mixture-of-experts", (query) => {
    expect(found(answerTerm(knowledge, query))).toBe("term:mixture-of-experts");
  });

  it.each([
    ["quantisation", "term:quantization"],
    ["quantization", "term:quantization"],
    ["quantizaton", "term:quantization"],
    // Two slips in a long name: British spelling and a dropped letter, as /ask already finds it.
    ["quantisaton", "term:quantization"],
    ["tokeniser", "term:tokenizer"],
    ["tokenzier", "term:tokenizer"],
    ["open weight", "term:open-weights"],
    ["open-weights", "term:open-weights"],
    ["fine tune", "term:fine-tuning"],
    ["aup", "term:acceptable-use-policy"],
    ["OSAID", "term:osaid"],
    ["dense", "term:dense-model"],
  ])("%s -> %s", (query, expected) => {
    expect(found(answerTerm(knowledge, query))).toBe(expected);
  });

  it("a three-letter word does not fuzzy-match a different word", () => {
    const answer = answerTerm(knowledge, "more");
    expect(answer.type === "term" ? answer.term.slug : null).not.toBe("mixture-of-experts");
  });

  it("nonsense finds nothing", () => {
    expect(answerTerm(knowledge, "zzqx blorf").type).toBe("not-found");
  });
});

describe("/license ranking", () => {
  it.each([
    ["llama", "family:llama"],
    ["Llama", "family:llama"],
    ["llama3.1", "license:llama-3.1"],
    ["llama 3.1", "license:llama-3.1"],
    ["Llama 3.1 Community License", "license:llama-3.1"],
    ["apache 2.0", "license:apache-2.0"],
    ["Apache-2.0", "license:apache-2.0"],
    ["mit", "license:mit"],
    ["gemma", "family:gemma"],
    ["olmo", "license:apache-2.0"],
    ["deepseek-r1", "license:mit"],
    ["kimi", "license:kimi-modified-mit"],
    ["modified mit", "license:kimi-modified-mit"],
    ["cc by-nc 4.0", "license:cc-by-nc-4.0"],
    ["Gemma Terms of Use", "license:gemma-terms"],
    ["gemma terms of use", "license:gemma-terms"],
    ["mistral research licence", "license:mistral-research-license"],
  ])("%s -> %s", (query, expected) => {
    expect(found(answerLicence(knowledge, query))).toBe(expected);
  });

  it("names what the user asked about when they named a model", () => {
    const answer = answerLicence(knowledge, "DeepSeek-R1");
    expect(answer.type === "license" ? answer.via?.slug : null).toBe("deepseek-r1");
  });

  it("a family's history is newest first", () => {
    const answer = answerLicence(knowledge, "llama");
    expect(answer.type).toBe("license-history");
    if (answer.type === "license-history") expect(answer.entries.map((entry) => entry.licence.id)[0]).toBe("llama-4");
  });
});

describe("/family ranking", () => {
  it.each([
    ["qwen", "family:qwen"],
    ["Qwen3", "family:qwen"],
    ["qwen3-5", "family:qwen"],
    ["alibaba", "family:qwen"],
    ["moonshot", "family:kimi"],
    ["k2", "family:kimi"],
    ["zhipu", "family:glm"],
    ["meta", "family:llama"],
    ["mixtral", "family:mistral"],
    ["r1", "family:deepseek"],
    ["deepseak", "family:deepseek"],
    ["DeepSeek-V3", "family:deepseek"],
    ["granite", "family:granite"],
    ["ai2", "family:olmo"],
  ])("%s -> %s", (query, expected) => {
    expect(found(answerFamily(knowledge, query))).toBe(expected);
  });
});

describe("/ask free text", () => {
  it.each([
    ["is olmo fully open", "family:olmo"],
    ["what does moe mean", "term:mixture-of-experts"],
    ["what is quantisation", "term:quantization"],
  ])("%s -> %s", (question, expected) => {
    expect(found(answerAsk(knowledge, question))).toBe(expected);
  });

  it("offers up to three see-also entries, none repeating the answer", () => {
    const answer = answerAsk(knowledge, "tell me about llama");
    expect(answer.type).toBe("ask");
    if (answer.type === "ask") {
      expect(answer.seeAlso.length).toBeLessThanOrEqual(3);
      const best = answerRef(answer.best);
      expect(answer.seeAlso.some((hit) => hit.kind === best?.kind && hit.id === best?.id)).toBe(false);
    }
  });
});

describe("finding the entity", () => {
  it("one-edit typos and swaps in names resolve; body words never do", () => {
    for (const [typed, id] of [
      ["quen", "qwen"],
      ["gema", "gemma"],
      ["lama", "llama"],
      ["deepseak", "deepseek"],
    ] as const) {
      const answer = answerFamily(knowledge, typed);
      expect(answer.type === "family" && answer.family.id, typed).toBe(id);
    }
    const swapped = answerTerm(knowledge, "tokenzier");
    expect(swapped.type === "term" && swapped.term.slug).toBe("tokenizer");
  });

  it("MIN_TEXT_SCORE: a made-up name finds nothing, a close miss gets did-you-mean", () => {
    expect(MIN_TEXT_SCORE).toBe(30);
    const madeUp = answerTerm(knowledge, "does-not-exist");
    expect(madeUp.type === "not-found" && madeUp.suggestions).toEqual([]);
    const close = answerLicence(knowledge, "lamma 3");
    expect(close.type).toBe("not-found");
    if (close.type === "not-found") expect(close.suggestions.some((hit) => hit.id.startsWith("llama-3"))).toBe(true);
  });

  it("official names, Hugging Face repo ids and model names resolve to the model's licence", () => {
    const official = answerLicence(knowledge, "Meta Llama 3 Community License");
    expect(official.type === "license" && official.licence.id).toBe("llama-3");
    const repo = answerLicence(knowledge, "meta-llama/Llama-3.1-8B");
    expect(repo.type === "license" && repo.licence.id).toBe("llama-3.1");
    const qwen = answerLicence(knowledge, "Qwen/Qwen3-8B");
    expect(qwen.type === "license" && qwen.via?.slug).toBe("qwen3-8b");
    const codestral = answerLicence(knowledge, "codestral");
    expect(codestral.type === "license" && codestral.licence.id).toBe("mistral-non-production-license");
  });

  it("a size token only chooses between models named alike", () => {
    const pixtral = answerLicence(knowledge, "pixtral 12b");
    expect(pixtral.type === "license" && pixtral.via?.slug).toBe("pixtral-12b");
    const asked = answerAsk(knowledge, "is pixtral 12b ok for commercial use");
    expect(asked.type === "clause" && asked.subject.ref.id).toBe("pixtral-12b");
  });

  it("a longer alias never beats a closer name: the Gemma terms, not Gemini, when Google is mentioned", () => {
    const answer = answerAsk(knowledge, "can I use Google's Gemma commercially?");
    expect(answer.type === "clause" && answer.family?.id).toBe("gemma");
  });
});

describe("autocomplete suggestions", () => {
  it("give the same ranking when asked again, kept apart by the kinds asked for", () => {
    const { index } = knowledge;
    const licences = index.suggest("lla", { kinds: ["license"], limit: 25 });
    const families = index.suggest("lla", { kinds: ["family"], limit: 25 });
    expect(licences.length).toBeGreaterThan(0);
    expect(licences.every((hit) => hit.kind === "license")).toBe(true);
    expect(families.every((hit) => hit.kind === "family")).toBe(true);
    expect(index.suggest("LLA", { kinds: ["license"], limit: 25 })).toEqual(licences);
    expect(index.suggest("lla", { kinds: ["license"], limit: 3 })).toEqual(licences.slice(0, 3));
  });
});

describe("words searched beside the question", () => {
  const kinds = ["term", "section"] as const;

  it("find what the asker's own word does not", () => {
    const alone = knowledge.index.search("vram", { kinds, limit: 5 });
    const hinted = knowledge.index.search("vram", { kinds, limit: 5 }, ["gpu memory"]);
    expect(alone.some((hit) => hit.id.startsWith("self-host/gpu-memory-math"))).toBe(false);
    expect(hinted.some((hit) => hit.id.startsWith("self-host/gpu-memory-math"))).toBe(true);
  });

  it("never take part in the name lookup, and count for less than what was typed", () => {
    expect(knowledge.index.lookup("gguf", { kinds, limit: 1 }, ["gpu memory"])[0]?.id).toBe("gguf");
    const typed = knowledge.index.search("gpu memory", { kinds, limit: 1 })[0]!;
    const hinted = knowledge.index.search("zzz", { kinds, limit: 1 }, ["gpu memory"])[0]!;
    expect(hinted.id).toBe(typed.id);
    expect(hinted.score).toBeLessThan(typed.score);
  });
});
