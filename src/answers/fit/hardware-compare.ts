import type { Hardware, KnowledgeBase } from "../../knowledge/types.ts";
import { siteCredit } from "../site.ts";
import type { Credited } from "../types.ts";
import { FIT_LINKS, type FitLinks } from "./links.ts";

/** What a comparison shows of one part: its memory, bandwidth and compute, as the catalogue gives them. */
export interface PartFigures {
  name: string;
  memoryGb: number;
  bandwidthGbs: number;
  fp16Tflops: number | null;
}

/** How much faster the subject generates text than the other part, in words a member reads at once. */
export type SpeedWords = "about the same as" | "faster" | "much faster" | "slower" | "much slower";

/**
 * "Is a 5090 much faster than my 4090 for generation?": decode speed follows memory bandwidth, so the
 * two parts' bandwidths answer it; compute decides prompt processing, memory what fits.
 */
export interface HardwareCompareAnswer extends Credited {
  type: "hardware-compare";
  question: string | null;
  links: FitLinks;
  /** The part the question is about ("is a 5090 faster…"), then the one it is weighed against. */
  subject: PartFigures;
  other: PartFigures;
  /** The subject's bandwidth over the other's: the decode-speed ratio the site's method implies. */
  decodeRatio: number;
  /** The subject's dense FP16 compute over the other's, when both are known: prompt processing. */
  computeRatio: number | null;
  words: SpeedWords;
}

/** Within this much either way, two parts generate at about the same speed for a member's eye. */
const SAME_WITHIN = 0.15;
/** From this ratio, "much faster". */
const MUCH = 1.8;

export function answerHardwareCompare(
  kb: KnowledgeBase,
  question: string | null,
  subject: Hardware,
  other: Hardware,
): HardwareCompareAnswer {
  const decodeRatio = subject.bandwidthGbs / other.bandwidthGbs;
  const computeRatio = subject.fp16Tflops && other.fp16Tflops ? subject.fp16Tflops / other.fp16Tflops : null;
  return {
    type: "hardware-compare",
    question,
    links: FIT_LINKS,
    credit: siteCredit(kb),
    subject: figures(subject),
    other: figures(other),
    decodeRatio,
    computeRatio,
    words: speedWords(decodeRatio),
  };
}

export function speedWords(ratio: number): SpeedWords {
  if (Math.abs(ratio - 1) < SAME_WITHIN) return "about the same as";
  if (ratio >= MUCH) return "much faster";
  if (ratio > 1) return "faster";
  return ratio <= 1 / MUCH ? "much slower" : "slower";
}

function figures(part: Hardware): PartFigures {
  return { name: part.name, memoryGb: part.memoryGb, bandwidthGbs: part.bandwidthGbs, fp16Tflops: part.fp16Tflops };
}
