import { foldText, lookupKey, words } from "../../knowledge/normalize.ts";
import type { Mention } from "../../search/index.ts";
import { withoutProposedName } from "../../understand/situation.ts";
import { asksYesNo, definitionSubject } from "../../understand/wording.ts";
import { licenceOfAnswer } from "../clause.ts";
import { entryLinks } from "../site.ts";
import type { AskResult } from "../types.ts";
import { entryResult, unknown } from "./entry-result.ts";
import { NAMED_KINDS, type Question, SEARCH_KINDS, SUGGESTIONS } from "./question.ts";
import { toSubject } from "./subject.ts";

/** In "what is X", a name must cover at least this share of X's words to be its subject. */
export const MIN_SUBJECT_SHARE = 0.5;

/**
 * Families and products people ask about that the content does not hold: named in the reply so the
 * asker knows it is a gap in the content, not a misunderstanding.
 */
const KNOWN_GAPS =
  /\b(behemoth|llama ?5|stable diffusion|sdxl|flux|midjourney|dall-?e|whisper|bloom|mpt|dbrx|jamba|orca|vicuna|alpaca|wizardlm|zephyr|solar|internlm|baichuan|minimax|ernie|copilot|perplexity|sora|llava|bert|t5|gpt-?2|gpt-?3|gpt-?j|gpt-?neox?|opt|xgen|snowflake arctic|arctic|dolly|reka|inflection|pi)\b/;

/** "Llama 3.2 Mini", "zorblax-13b": a model we do not hold is never answered as one we do. */
export function unknownModel(question: Question): AskResult | null {
  const [name] = question.frame.unknownNames;
  if (!name) return null;
  // Offer the family, never a licence: a licence beside an unknown name reads as its answer.
  const families = question.mentions.filter((mention) => mention.kind === "family");
  return {
    ...unknown(question, "unknown-name", name),
    suggestions: entryLinks(question.knowledge.kb, families.slice(0, SUGGESTIONS)),
  };
}

/** A name the content lacks makes any answer about something else wrong: "is falcon better than llama". */
export function contentGap(question: Question): AskResult | null {
  const named = withoutProposedName(question.text, question.frame.situation.proposedName ?? null);
  const gap = KNOWN_GAPS.exec(foldText(named))?.[1];
  return gap && !coveredBy(gap, question.mentions) ? unknown(question, "unknown-name", gap) : null;
}

/** Whether the gap word is really part of a name the content holds ("phi" inside "philosophy" never is). */
function coveredBy(gap: string, mentions: readonly Mention[]): boolean {
  const key = lookupKey(gap);
  return mentions.some((mention) => lookupKey(mention.name).includes(key));
}

/** The whole question is a name ("qlora?", "gguf"): that entry. */
export function wholeName({ knowledge, text }: Question): AskResult | null {
  // "gqa?? saw it in a model card": a first sentence that is only a name asks for it.
  const [first = ""] = text.split(/(?<=[?!])\s+/);
  for (const candidate of new Set([text, first])) {
    const hit = knowledge.index.exact(candidate.replace(/[?!.]+$/, ""), { kinds: SEARCH_KINDS })[0];
    if (hit) return entryResult(knowledge, text, hit, undefined, [], false);
  }
  return null;
}

/** "What is X": X itself, or a name that is most of X ("what is the gguf format"). */
export function definition({ knowledge, text }: Question): AskResult | null {
  const defined = definitionSubject(text);
  if (!defined) return null;
  const { index } = knowledge;
  const named =
    index.exact(defined, { kinds: SEARCH_KINDS })[0] ??
    index
      .findMentions(defined, { kinds: NAMED_KINDS })
      .find((mention) => mention.end - mention.start >= Math.ceil(words(defined).length * MIN_SUBJECT_SHARE));
  return named ? entryResult(knowledge, text, named) : null;
}

/**
 * A named model, family or licence answers a question that is about it. A glossary word inside a
 * longer question ("the three licence tiers for model weights") is not its subject: full text
 * decides there. A licence question about a family or model goes to its licence.
 */
export function namedEntry({ knowledge, text, subject, searched, frame }: Question): AskResult | null {
  if (!subject) return null;
  if (subject.kind !== "license" && /\blicen[cs]/.test(foldText(text))) {
    const answer = licenceOfAnswer(knowledge.kb, text, toSubject(subject));
    if (answer) return answer;
  }
  return entryResult(knowledge, text, subject, searched, frame.searchWords);
}

/**
 * "Can I use <something we do not know> commercially?": a licence verdict needs a licence, and the
 * full text would only guess one.
 */
export function unknownLicensee(question: Question): AskResult | null {
  // "Does the OSAID require the training code?" asks about the definition, not a licensee.
  if (question.frame.osaid) return null;
  return question.clause && asksYesNo(question.text) ? unknown(question, "not-covered") : null;
}
