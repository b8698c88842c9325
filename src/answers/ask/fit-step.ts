import { asksAboutLicences } from "../../understand/wording.ts";
import { answerFit, answerFitCapacity } from "../fit/fit.ts";
import { answerHardwareCompare } from "../fit/hardware-compare.ts";
import { modelForFit } from "../fit/sized-model.ts";
import type { AskResult } from "../types.ts";
import type { Question } from "./question.ts";

/**
 * "Will Qwen3 30B run on my 4090?", "how much VRAM for a 70B at Q4?", "what can I run on 24 GB?":
 * the site's fit method. A licence question that names hardware ("can I ship llama on a 4090
 * commercially?") stays a licence question.
 */
export function fit(question: Question): AskResult | null {
  const { frame, knowledge, text } = question;
  const asked = frame.fit;
  const named = asked.hardware;
  const sized = asked.intent === "memory" || asked.intent === "speed" || asked.intent === "capacity";
  const askedFit = sized || (asked.intent === "fit" && (named || asked.runtime));
  // "gpt-oss 20b on my 3090?": a model and a card, and nothing asked about terms, is a fit question.
  const terse = named !== null && !frame.clause && frame.situation.purposes.length === 0 && !asksAboutLicences(text);
  if (!askedFit && !terse) return null;
  if (frame.clause && !named) return null;
  const request = {
    format: asked.format,
    width: asked.width,
    runtime: asked.runtime,
    contextTokens: asked.contextTokens,
  };
  const model = modelForFit(knowledge.kb, knowledge.index, frame);
  // "gemma 3 400b": a model that does not exist gets "I don't know it", not an estimate.
  if (model?.unknownName) return null;
  // "Is a 5090 much faster than my 4090?": two parts and no model weigh the parts.
  if (!model && named?.entry && asked.against && asked.intent !== "capacity")
    return answerHardwareCompare(knowledge.kb, text, named.entry, asked.against);
  if (!askedFit && !model) return null;
  // "Does power limiting my 3090 hurt tok/s?": a technique named with a card, no model, asks how it works.
  const technique = frame.mentions.some((mention) => mention.kind === "term");
  if (!model && technique && asked.intent !== "capacity") return null;
  if (asked.intent === "capacity" || !model) {
    return named && asked.intent !== "memory" ? answerFitCapacity(knowledge.kb, text, named, request) : null;
  }
  if (asked.intent === "speed" && !named) return null;
  return answerFit(knowledge.kb, text, { ...request, intent: asked.intent ?? "fit", model, hardware: named });
}
