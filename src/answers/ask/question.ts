import type { ClauseQuestion } from "../../content/schemas.ts";
import type { EntryKind } from "../../knowledge/types.ts";
import type { Hit, Mention } from "../../search/index.ts";
import { type Frame, understand } from "../../understand/frame.ts";
import { asksAboutLicences } from "../../understand/wording.ts";
import type { Knowledge } from "../types.ts";
import { subjectOf } from "./subject.ts";

/** Entries a question can be about by name. */
export const NAMED_KINDS: readonly EntryKind[] = ["license", "model", "family", "term"];
/** Entries a licence question can be about. */
const LICENSED_KINDS: readonly EntryKind[] = ["license", "model", "family"];
/** Kinds full-text search may answer with, in the order a tie is broken. */
export const SEARCH_KINDS: readonly EntryKind[] = ["term", "family", "license", "model", "section"];
export const SEE_ALSO = 3;
export const SUGGESTIONS = 3;

/** The cue for "do I have to open-source my fine-tune" (content/cues/clauses.yaml). */
export const COPYLEFT_CUE = "redistribute-5";

/** A question read once: what it names, which clause it asks about, and its full-text ranking. */
export interface Question {
  knowledge: Knowledge;
  text: string;
  frame: Frame;
  mentions: Mention[];
  /** Named licences, models and families, best first. */
  licensed: Mention[];
  /** What a licence question is about: the best named licence, model or family. */
  subject: Hit | null;
  clause: ClauseQuestion | null;
  searched: Hit[];
}

export function read(knowledge: Knowledge, text: string): Question {
  const { index, kb } = knowledge;
  const frame = understand(kb, index, text);
  const mentions = frame.mentions.filter((mention) => NAMED_KINDS.includes(mention.kind));
  const licensed = mentions.filter((mention) => LICENSED_KINDS.includes(mention.kind));
  const subject = subjectOf(knowledge, text, frame, licensed);
  // The full text is the costliest read: done once, and only for the steps that need it.
  let searched: Hit[] | undefined;
  return {
    knowledge,
    text,
    frame,
    mentions,
    licensed,
    subject,
    clause: asksAboutTechnique(frame, text, licensed)
      ? null
      : (bannedUse(frame) ?? frame.clause ?? impliedClause(frame, subject)),
    get searched() {
      searched ??= index.lookup(text, { kinds: SEARCH_KINDS, limit: SEE_ALSO + 1 }, frame.searchWords);
      return searched;
    },
  };
}

/**
 * "Can I LoRA-finetune on one 3090?", "is quantizing the KV cache worth it?", "llama.cpp or vLLM for
 * 20 people?": how a technique or tool works, not what a licence allows. A clause cue there ("fine-tune",
 * "people") is the technique's word; with no licence, model or purpose named, no verdict is asked.
 */
export function asksAboutTechnique(frame: Frame, text: string, licensed: readonly Mention[]): boolean {
  if (licensed.length > 0 || frame.situation.purposes.length > 0 || frame.clauseCue === COPYLEFT_CUE) return false;
  if (asksAboutLicences(text)) return false;
  const technique = frame.mentions.some((mention) => mention.kind === "term") || frame.tools.length > 0;
  // "How much extra VRAM do 10 people eat?": memory and speed are the fit method's, not a cap's.
  return technique || frame.fit.format !== null || frame.fit.width !== null || frame.fit.intent !== null;
}

/**
 * "Can we use the original DeepSeek-V3 in a drone targeting prototype?", "can we ship qwen2.5-3b in a
 * paid app?": a may-question about a named model that names no clause asks whether the use is
 * allowed. A banned purpose asks the use policy; relicensing, redistribution; otherwise commercial use.
 */
function impliedClause(frame: Frame, subject: Hit | null): ClauseQuestion | null {
  if ((frame.polarity !== "may" && frame.polarity !== "forbids") || !subject || subject.kind === "term") return null;
  const purposes = frame.situation.purposes;
  if (purposes.some((purpose) => BANNED_PURPOSES.has(purpose))) return "acceptable-use";
  if (purposes.includes("relicense")) return "redistribute";
  return "commercial-use";
}

/** "Would it be legal to have our bot tell customers it's a human named Sarah?": the use policy decides. */
export function bannedUse(frame: Frame): ClauseQuestion | null {
  const banned = frame.situation.purposes.some((purpose) => BANNED_PURPOSES.has(purpose));
  // "Gemma 3 for fully automated loan approvals?" asks it as plainly as "may we?".
  const asked = frame.polarity === "may" || frame.polarity === "forbids" || frame.polarity === null;
  return asked && banned ? "acceptable-use" : null;
}

/** Purposes some use policies ban: a may-question naming one asks the policy. */
export const BANNED_PURPOSES: ReadonlySet<string> = new Set([
  "military",
  "weapons",
  "deception",
  "sexual",
  "critical-infrastructure",
  "automated-decisions",
  "covert-tracking",
]);
