import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { answerAsk, MIN_KNOWN_WORDS, MIN_SEARCH_SCORE, MIN_SUBJECT_SHARE } from "../src/answers/ask.ts";
import { evaluateAsk, parseAskFile, summarizeAsk } from "../src/answers/ask-eval.ts";
import { lookupResult } from "../src/command-kit/lookup.ts";
import { CLAUSE_QUESTION_KEYS } from "../src/content/schemas.ts";
import { firstScreenLength, truncateAtSentence } from "../src/payloads/limits.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const knowledge = bundledKnowledge();
const cases = parseAskFile(readFileSync(new URL("./ask-questions.tsv", import.meta.url), "utf8"));

describe("clause questions", () => {
  it("answer with the verdict of the licence that decides them", () => {
    const answer = answerAsk(knowledge, "can I train another model on Llama 2 outputs?");
    expect(answer.type).toBe("clause");
    if (answer.type !== "clause") return;
    expect(answer.licence.id).toBe("llama-2");
    expect(answer.fact.clause).toBe("train-other-models");
    expect(answer.fact.verdict).toBe("no");
    expect(answer.fact.source.url).toMatch(/^https:\/\//);
    expect(answer.fact.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("a family named without a version gets its newest release, and how versions differ", () => {
    const answer = answerAsk(knowledge, "may I train other models on llama outputs?");
    if (answer.type !== "clause") throw new Error(answer.type);
    expect(answer.licence.id).toBe("llama-4");
    expect(answer.newestOf).toBe("Llama 4");
    expect(answer.spans.map((span) => span.verdict)).toEqual(["no", "conditional"]);
    expect(answer.spans[0]!.versions).toEqual(["Llama 2", "Llama 3"]);
  });

  it("a model named goes to its own licence, not its family's newest", () => {
    const answer = answerAsk(knowledge, "codestral commercial use?");
    if (answer.type !== "clause") throw new Error(answer.type);
    expect(answer.licence.id).toBe("mistral-non-production-license");
    expect(answer.fact.verdict).toBe("no");
  });

  it("every licence answers every clause question", () => {
    for (const licence of knowledge.kb.licences.values()) {
      expect(Object.keys(licence.answers).sort()).toEqual([...CLAUSE_QUESTION_KEYS].sort());
    }
  });

  it("no provider's clause sits on another's row", () => {
    const regional = [...knowledge.kb.licences.values()].filter(
      (licence) => licence.tier === "proprietary" && licence.answers["regional-limits"].verdict === "yes",
    );
    expect(regional.map((licence) => licence.id)).toEqual(["gemini-api-terms"]);
    expect(knowledge.kb.models.get("gpt-5")?.licenceIds).toEqual(["openai-terms"]);
    expect(knowledge.kb.models.get("claude-opus-4")?.licenceIds).toEqual(["anthropic-terms"]);
  });
});

describe("other shapes", () => {
  it("what licence is X under", () => {
    const answer = answerAsk(knowledge, "what licence is Qwen/Qwen3-8B under?");
    expect(answer.type === "licence-of" && answer.licence.id).toBe("apache-2.0");
  });

  it("a list question is answered from the structured data, with its rule", () => {
    const answer = answerAsk(knowledge, "which models release their training data?");
    if (answer.type !== "list") throw new Error(answer.type);
    expect(answer.rule).toBe("releases-data");
    expect(answer.items.map((item) => item.ref?.id).sort()).toEqual(["olmo", "pythia"]);
  });

  it("a free-text comparison is the /compare answer", () => {
    const answer = answerAsk(knowledge, "difference between the llama 3 and llama 3.1 licence");
    if (answer.type !== "compare") throw new Error(answer.type);
    expect(answer.left.type === "license" && answer.left.licence.id).toBe("llama-3");
    expect(answer.right.type === "license" && answer.right.licence.id).toBe("llama-3.1");
  });

  it("a definition is the term", () => {
    const answer = answerAsk(knowledge, "wtf is gguf");
    expect(answer.type === "ask" && answer.best.type === "term" && answer.best.term.slug).toBe("gguf");
  });
});

describe("I don't know", () => {
  it("names a family the content does not hold instead of answering about another", () => {
    const answer = answerAsk(knowledge, "is jamba better than llama?");
    expect(answer.type === "unknown" && answer.unknownName).toBe("jamba");
  });

  it("declines off-topic questions even when they mention an entry", () => {
    expect(answerAsk(knowledge, "which car should I buy to drive to the llama farm?").type).toBe("unknown");
    expect(answerAsk(knowledge, "what's the weather tomorrow").type).toBe("unknown");
  });

  it("MIN_SEARCH_SCORE: nonsense with no name in it is not answered from the full text", () => {
    expect(MIN_SEARCH_SCORE).toBeGreaterThan(0);
    expect(answerAsk(knowledge, "xylophone marmalade zebra").type).toBe("unknown");
  });

  it("MIN_KNOWN_WORDS: a question mostly in words the content never uses is declined", () => {
    expect(MIN_KNOWN_WORDS).toBeGreaterThan(0.5);
    expect(answerAsk(knowledge, "should i quit my job to work on ai").type).toBe("unknown");
  });

  it("MIN_SUBJECT_SHARE: a term inside a longer subject is not taken as the subject", () => {
    expect(MIN_SUBJECT_SHARE).toBe(0.5);
    const answer = answerAsk(knowledge, "what is the gguf format");
    expect(answer.type === "ask" && answer.best.type === "term" && answer.best.term.slug).toBe("gguf");
  });
});

describe("the /ask question set", () => {
  it("holds at least 200 questions, 40 of them unanswerable, naming only shapes it knows", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(cases.filter((testCase) => testCase.shape === "abstain").length).toBeGreaterThanOrEqual(40);
    for (const testCase of cases.filter((c) => c.shape === "clause")) expect(testCase.verdict).toBeTruthy();
  });

  it("meets 95% per shape, per verdict and for abstention both ways, within 1,200 characters a first screen", () => {
    const outcomes = cases.map((testCase) => evaluateAsk(knowledge, testCase));
    const summary = summarizeAsk(outcomes);
    const rate = (part: { total: number; correct: number }) => part.correct / part.total;
    for (const [shape, part] of Object.entries(summary.byShape)) expect(rate(part), shape).toBeGreaterThanOrEqual(0.95);
    expect(rate(summary.verdicts)).toBeGreaterThanOrEqual(0.95);
    expect(rate(summary.abstainWhenShould)).toBeGreaterThanOrEqual(0.95);
    expect(rate(summary.answerWhenShould)).toBeGreaterThanOrEqual(0.95);
    for (const outcome of outcomes) {
      const { reply } = lookupResult(knowledge, "ask", outcome.answer, {});
      expect(firstScreenLength(reply as Parameters<typeof firstScreenLength>[0]), outcome.question).toBeLessThanOrEqual(
        1200,
      );
    }
  });
});

describe("cutting text", () => {
  it("cuts at a sentence, never mid-sentence when a boundary is near", () => {
    const text = "First sentence here. Second sentence is longer than the room we have left for it.";
    expect(truncateAtSentence(text, 40)).toBe("First sentence here. …");
  });
});

describe("versions within a family", () => {
  it("a version named in the question decides the licence", () => {
    const gemma2 = answerAsk(knowledge, "google/gemma-2-9b-it ok for commercial use?");
    expect(gemma2.type === "clause" && gemma2.licence.id).toBe("gemma-terms");
    const qwen = answerAsk(knowledge, "Qwen-1.8B commercial ok?");
    expect(qwen.type === "clause" && qwen.licence.id).toBe("tongyi-qianwen-research-license");
    const mistral = answerAsk(knowledge, "mistral small 2409 licence??");
    expect(mistral.type === "licence-of" && mistral.licence.id).toBe("mistral-research-license");
  });

  it("a size no release of ours has is an unknown model, never answered as a real one", () => {
    const answer = answerAsk(knowledge, "EleutherAI/pythia-99b - can we use it commercially?");
    expect(answer.type === "unknown" && answer.unknownName).toContain("pythia-99b");
    const glm = answerAsk(knowledge, "THUDM/glm-4-9b-chat - can we use it commercially?");
    expect(glm.type === "clause" && glm.licence.id).toBe("glm-4-license");
  });

  it("'which <family> models are not <licence>' lists the family's versions with their licences", () => {
    const answer = answerAsk(knowledge, "which qwen models are NOT apache 2.0?");
    expect(answer.type === "list" && answer.rule).toBe("versions:qwen");
  });

  it("compares two releases of one family by licence", () => {
    const answer = answerAsk(knowledge, "gpt-4o api or gpt-oss-120b if we want to fine tune and self host?");
    if (answer.type !== "compare") throw new Error(answer.type);
    expect([answer.left, answer.right].map((side) => side.type === "license" && side.licence.id)).toEqual([
      "openai-terms",
      "apache-2.0",
    ]);
  });
});

describe("how a technique works is not a licence question", () => {
  const bestOf = (question: string) => {
    const answer = answerAsk(knowledge, question);
    if (answer.type !== "ask") return answer.type;
    const best = answer.best;
    return best.type === "section"
      ? `section:${best.section.id}`
      : best.type === "term"
        ? `term:${best.term.slug}`
        : best.type;
  };

  it("a clause word used for a technique, with no licence, model or purpose named, reaches the lessons", () => {
    expect(bestOf("is quantizing the kv cache to q8 worth it? does it hurt quality much")).toBe(
      "term:kv-cache-quantization",
    );
    expect(bestOf("can i do a LoRA finetune on a single 3090 or do i need a rack of A100s")).toMatch(/^term:q?lora$/);
    expect(bestOf("planning to serve a model to like 20 people at work. llama.cpp or vllm?")).toMatch(
      /^section:self-host\/inference-engines/,
    );
    expect(bestOf("people keep recommending min_p. why is it better than top_p supposedly")).toMatch(
      /^section:how-llms-work\/decoding/,
    );
  });

  it("a word few entries use is the subject even when the whole question scores low", () => {
    expect(bestOf("do i need nvlink for 2x 3090 inference")).toMatch(/^(?:term:tensor-parallelism|section:self-host)/);
    // A word the content never uses means the question is about something else.
    expect(bestOf("my react useEffect runs twice, fix it?")).toBe("unknown");
  });

  it("a lesson that all but names the question outranks a word that looks out of scope", () => {
    expect(bestOf("how many tokens does an image cost in a vision model? my context fills up fast")).toMatch(
      /^section:how-llms-work\/multimodal/,
    );
    expect(answerAsk(knowledge, "how much does gpt-5 cost per million tokens").type).toBe("unknown");
  });

  it("a glossary word named beside a tool is the subject, not the tool's lesson", () => {
    expect(bestOf("what is paged attention in vllm and why does it matter")).toBe("term:paged-attention");
  });

  it("members' words search the content's: people hitting a server at once is batching", () => {
    expect(bestOf("if 10 people hit my server at once how much extra vram does that eat")).toBe(
      "term:continuous-batching",
    );
  });

  it("the same words with a licence, a model or a purpose stay a clause question", () => {
    expect(answerAsk(knowledge, "can I fine-tune llama 3 and sell the result?").type).toBe("clause");
    expect(answerAsk(knowledge, "can we quantize gemma 3 and ship it in our paid app?").type).toBe("clause");
  });
});

describe("a cap counted on a release date", () => {
  it("is checked against the users the asker had then, not today", () => {
    const then = answerAsk(
      knowledge,
      "we passed 800M MAU last month but back when llama 3.1 came out we had maybe 300M. does the meta cap kick in for us now?",
    );
    if (then.type !== "clause") throw new Error(then.type);
    expect(then.asker.words).toMatch(/^No\b/);
    const now = answerAsk(knowledge, "we have 800M MAU, does the llama 3.1 cap apply to us?");
    if (now.type !== "clause") throw new Error(now.type);
    expect(now.asker.words).toMatch(/^Yes\b/);
  });
});

describe("a licence named after its model, then another guessed", () => {
  it("checks the guess against the model's licence, yes or no", () => {
    const answer = answerAsk(knowledge, "falcon 180b licence - also apache?");
    if (answer.type !== "licence-of") throw new Error(answer.type);
    expect(answer.claimed?.id).toBe("apache-2.0");
    expect(answer.licence.id).toBe("falcon-180b-tii-license");
  });

  it("a comparison of two licences stays a comparison", () => {
    expect(answerAsk(knowledge, "llama 3 licence - same as llama 2?").type).not.toBe("licence-of");
  });
});

describe("lists narrowed by the labs' country", () => {
  it("'chinese labs under apache' lists only families from China", () => {
    const answer = answerAsk(knowledge, "chinese model families w/ apache-2.0 weights?");
    if (answer.type !== "list") throw new Error(answer.type);
    expect(answer.items.map((item) => item.name).sort()).toEqual(["Qwen", "Yi"]);
    expect(answer.description).toMatch(/from labs in China$/);
  });
});

describe("a licence guessed in words", () => {
  it("'purely MIT-licensed?' checks the guess whatever else the question says about use", () => {
    const answer = answerAsk(
      knowledge,
      "Our bank wants DeepSeek-R1-Distill-Llama-70B on-prem. Is that model purely MIT-licensed?",
    );
    if (answer.type !== "licence-of") throw new Error(answer.type);
    expect(answer.claimed?.id).toBe("mit");
    expect(answer.licence.id).toBe("llama-3.3");
  });

  it("'do I need to follow the llama license too?' checks the family's licence the model carries", () => {
    const answer = answerAsk(knowledge, "DeepSeek-R1-Distill-Llama-70B do i need to follow the llama license too");
    if (answer.type !== "licence-of") throw new Error(answer.type);
    expect(answer.claimed?.id).toBe(answer.licence.id);
  });
});

describe("a name the asker proposes for a derivative", () => {
  const verdictOf = (question: string) => {
    const answer = answerAsk(knowledge, question);
    if (answer.type !== "clause") throw new Error(answer.type);
    return answer.asker.words;
  };

  it("is checked against the prefix the licence requires, and never looked up as a model", () => {
    expect(verdictOf("We fine-tuned GLM-4-9B and want to release it as 'SupportBot-9B'. Is that name OK?")).toBe("No");
    expect(verdictOf("We fine-tuned Meta Llama 3 8B and want to publish it as 'Orca-Edu-8B'. OK?")).toBe("No");
    expect(verdictOf("can we publish our llama 3.1 fine-tune named 'Llama-3.1-MedBuddy-8B'?")).toBe("Yes");
  });
});

describe("questions about the Open Source AI Definition's own requirements", () => {
  const leadOf = (question: string) => {
    const answer = answerAsk(knowledge, question);
    if (answer.type !== "ask") throw new Error(answer.type);
    return answer.lead ?? "";
  };

  it("answer yes or no from the registry, with its source, above the definition's entry", () => {
    expect(leadOf("does OSAID require you to publish the full training dataset?")).toMatch(
      /^\*\*No\*\*: .*data information/,
    );
    expect(leadOf("does OSAID require the training code to be released too?")).toMatch(/^\*\*Yes\*\*/);
    expect(leadOf("can an OSAID-compliant model use a copyleft licence like GPL?")).toMatch(/^\*\*Yes\*\*/);
    expect(leadOf("if a model's licence is OSI approved does that automatically make it open source AI?")).toMatch(
      /^\*\*No\*\*.*opensource\.org/,
    );
  });

  it("a family named is still judged on its own release facts", () => {
    expect(answerAsk(knowledge, "does olmo meet the osaid?").type).toBe("osaid");
  });
});

describe("a licence the family has left", () => {
  it("'still under the Yi licence?' is No, with what replaced it", () => {
    const answer = answerAsk(knowledge, "yi-34b still under the yi license or nah?");
    if (answer.type !== "licence-of") throw new Error(answer.type);
    expect(answer.formerly?.name).toBe("Yi Series Models Community License");
    expect(answer.licence.id).toBe("apache-2.0");
    const falcon = answerAsk(knowledge, "tiiuae/falcon-40b still stuck on that royalty license?");
    if (falcon.type !== "licence-of") throw new Error(falcon.type);
    expect(falcon.formerly?.versions).toBe("Falcon 7B and 40B");
  });
});

describe("a ban on improving other models spares the licence's own", () => {
  const verdict = (question: string) => {
    const answer = answerAsk(knowledge, question);
    if (answer.type !== "clause") throw new Error(answer.type);
    return `${answer.asker.words}: ${answer.asker.because ?? ""}`;
  };

  it("is Yes when the model improved is under the same licence", () => {
    expect(
      verdict(
        "We want to use Llama 2 13B Chat outputs as training data to fine-tune Llama 2 7B. Does the Llama 2 licence allow that?",
      ),
    ).toMatch(/^Yes: .*Llama 2, itself under this licence/);
  });

  it("is No, naming it, when the model improved is another family's", () => {
    expect(
      verdict(
        "We want Meta Llama 3 70B Instruct to generate instruction data for fine-tuning Qwen2.5-14B. Does the licence allow that?",
      ),
    ).toMatch(/^No: .*improve another model: you said the model you improve is Qwen2\.5-14B/);
  });

  it("is No, with the exception in words, when the model is not named", () => {
    expect(verdict("can I use Llama 2 outputs to train my own model?")).toMatch(/^No: .*improve another model\.?$/);
    expect(verdict("may we use llama 2 outputs as training data?")).toMatch(
      /^No: .*\(the ban applies when the model you improve is not Llama 2 or derived from it\)/,
    );
  });
});

describe("a glossary entry that answers a how-to question", () => {
  it("quotes the sentences that answer it when they sit past the entry's opening", () => {
    const answer = answerAsk(knowledge, "if 10 people hit my server at once how much extra vram does that eat");
    if (answer.type !== "ask" || answer.best.type !== "term") throw new Error(answer.type);
    expect(answer.best.point).toMatch(/KV cache/);
  });

  it("shows its opening for 'what is X'", () => {
    const answer = answerAsk(knowledge, "what is continuous batching?");
    if (answer.type !== "ask" || answer.best.type !== "term") throw new Error(answer.type);
    expect(answer.best.point ?? null).toBeNull();
  });
});

describe("a list of licences asked for as models", () => {
  it("shows the releases under each licence, not only its clause", () => {
    const answer = answerAsk(
      knowledge,
      "need a list of non-commercial-only open weight models so i dont use one at work",
    );
    if (answer.type !== "list") throw new Error(answer.type);
    expect(answer.items.find((item) => item.ref?.id === "cc-by-nc-4.0")?.detail).toMatch(/Command R/);
    const licences = answerAsk(knowledge, "which licences don't allow commercial use?");
    if (licences.type !== "list") throw new Error(licences.type);
    expect(licences.items.find((item) => item.ref?.id === "cc-by-nc-4.0")?.detail).toMatch(/^No:/);
  });
});

describe("what licence a model carries", () => {
  it("says what each 'with conditions' is, not only that there is one", async () => {
    const { render } = await import("../src/payloads/render/index.ts");
    const answer = answerAsk(knowledge, "glm-4-9b-chat, what's it licensed under?");
    const text = render(answer, { command: "ask", hidden: false }).embeds?.[0]?.description ?? "";
    expect(text).toMatch(/Commercial use:\*\* yes, with conditions: Register with Zhipu/);
  });
});

describe("a release named past its family word", () => {
  it("is that release, not the model whose alias is the family word", () => {
    const answer = answerAsk(knowledge, "mistral large 2411 - what licence?");
    if (answer.type !== "licence-of") throw new Error(answer.type);
    expect(answer.licence.id).toBe("mistral-research-license");
  });

  it("is not confused with the licence the asker wants to release it under", () => {
    const answer = answerAsk(
      knowledge,
      "We fine-tuned Mistral Large 2411 and want to upload it to Hugging Face under Apache-2.0. OK?",
    );
    if (answer.type !== "clause") throw new Error(answer.type);
    expect([answer.licence.id, answer.asker.words]).toEqual(["mistral-research-license", "No"]);
  });
});

describe("a cap the asker is over, or was under on the release date", () => {
  it("reads 'we were around 500M' back when the release came out", () => {
    const answer = answerAsk(
      knowledge,
      "we're at ~750M MAU today but back when llama 3.3 came out (dec 2024) we were around 500M. do we need a separate licence from meta for 3.3?",
    );
    if (answer.type !== "clause") throw new Error(answer.type);
    expect(answer.asker.words).toBe("No");
  });

  it("checks the Tongyi Qianwen licence's 100 million cap", () => {
    const answer = answerAsk(
      knowledge,
      "we use qwen2-72b-instruct in our chat app, about 150M MAU now. can we keep using it without talking to alibaba?",
    );
    if (answer.type !== "clause") throw new Error(answer.type);
    expect(answer.asker.words).toBe("No");
  });
});

describe("a rule that shuts one asker out of an unsettled permission", () => {
  it("is No for a Zurich team on the Gemini API free tier, and stays unsettled on the paid one", () => {
    const words = (question: string) => {
      const answer = answerAsk(knowledge, question);
      if (answer.type !== "clause") throw new Error(answer.type);
      return answer.asker.words;
    };
    expect(words("can our zurich team use the free tier of the gemini api for our product?")).toBe("No");
    expect(words("can our zurich team use the gemini api for our product?")).toBe("Not settled");
  });
});

describe("a name asked for in few words", () => {
  const slugOf = (question: string) => {
    const answer = answerAsk(knowledge, question);
    return answer.type === "ask" && answer.best.type === "term" ? answer.best.term.slug : answer.type;
  };

  it("is the first sentence when it is only a name, or 'X in Y, what is it'", () => {
    expect(slugOf("gqa?? saw it in a model card")).toBe("grouped-query-attention");
    expect(slugOf("mla in deepseek, what is it")).toBe("multi-head-latent-attention");
  });

  it("two cards named without weighing them are not a speed comparison", () => {
    expect(answerAsk(knowledge, "i have a 3090 and a 3060, can i use both and how to balance").type).not.toBe(
      "hardware-compare",
    );
  });
});

describe("the OSI's own validation against the definition", () => {
  it("is said on a family's OSAID answer and listed by verdict", () => {
    const llama = answerAsk(knowledge, "did llama 2 pass OSI's open source AI definition check?");
    if (llama.type !== "osaid") throw new Error(llama.type);
    expect(llama.validated).toEqual({ year: 2024, name: "Llama 2", verdict: "failed" });
    const both = answerAsk(knowledge, "pythia vs llama 2 on OSI's open source AI definition");
    if (both.type !== "osaid") throw new Error(both.type);
    expect([both.validated?.name, ...(both.alsoValidated ?? []).map((result) => result.name)]).toEqual([
      "Pythia",
      "Llama 2",
    ]);
    const names = (question: string) => {
      const answer = answerAsk(knowledge, question);
      return answer.type === "list" ? answer.items.map((item) => item.name) : answer.type;
    };
    expect(names("which models passed OSI's validation against the open source AI definition in 2024?")).toEqual(
      expect.arrayContaining(["Pythia", "OLMo"]),
    );
    expect(names("osi said some models 'would pass with a licence change' - which ones?")).toEqual([
      "BLOOM",
      "StarCoder2",
      "Falcon",
    ]);
  });
});

describe("a model named after its base ('Llama-3.1-Nemotron-51B')", () => {
  it("is the later family's release, with the registry's note on it", () => {
    const answer = answerAsk(knowledge, "nvidia/Llama-3_1-Nemotron-51B-Instruct licence");
    if (answer.type !== "licence-of") throw new Error(answer.type);
    expect([answer.family?.id, answer.licence.id]).toEqual(["nemotron", "llama-3.1"]);
    expect(answer.releaseNote).toMatch(/NVIDIA Open Model License/);
  });
});

describe("a technique named with a card and no model", () => {
  it("asks how the technique works, not what fits on the card", () => {
    const answer = answerAsk(knowledge, "does power limiting my 3090 to 250w hurt tok/s much");
    expect(answer.type === "ask" && answer.best.type === "term" ? answer.best.term.slug : answer.type).toBe(
      "power-limit",
    );
    expect(answerAsk(knowledge, "what can i run on a 3090 with flash attention").type).toBe("fit-capacity");
  });
});

describe("a permission asked without the step everyone must take", () => {
  it("is No: GLM-4 9B commercially, without registering", () => {
    const words = (question: string) => {
      const answer = answerAsk(knowledge, question);
      if (answer.type !== "clause") throw new Error(answer.type);
      return answer.asker.words;
    };
    expect(words("can i use THUDM/glm-4-9b-chat commercially without registering anywhere?")).toBe("No");
    expect(words("can we use glm-4-9b commercially?")).toBe("Yes");
  });
});

describe("uses a use policy bans", () => {
  const verdict = (question: string) => {
    const answer = answerAsk(knowledge, question);
    if (answer.type !== "clause") throw new Error(answer.type);
    return [answer.fact.clause, answer.asker.words];
  };

  it("tracking staff without telling them and fully automated loan approvals are No under the Gemma policy", () => {
    expect(
      verdict("can we use gemma 2 9b to monitor our warehouse staff and flag who's slacking, without telling them?"),
    ).toEqual(["acceptable-use", "No"]);
    expect(verdict("gemma 3 for fully automated loan approvals (no human review)?")).toEqual(["acceptable-use", "No"]);
  });

  it("'is it off-limits?' asks whether it is forbidden", () => {
    expect(
      verdict("We build systems for a NATO ministry. Is military work off-limits under DeepSeek-R1's licence?"),
    ).toEqual(["acceptable-use", "No"]);
  });
});
