import type { ClauseQuestion } from "../content/schemas.ts";
import { foldText } from "../knowledge/normalize.ts";
import { vocabulary } from "./vocabulary.ts";

/**
 * What a question's wording says about its shape, read from the cue files in `content/cues/`.
 * Pure text: which entry it names is the search index's job.
 */

export function clauseOf(question: string): ClauseQuestion | null {
  return vocabulary().first("clause", question) as ClauseQuestion | null;
}

export function asksYesNo(question: string): boolean {
  return vocabulary().has("intent", "yes-no", question.trim());
}

/** "strong" for "what licence is X under"; "weak" for a question that merely ends in "licence?". */
export function asksWhichLicence(question: string): "strong" | "weak" | null {
  if (vocabulary().has("intent", "licence-of", question)) return "strong";
  return vocabulary().has("intent", "licence-of-weak", question) ? "weak" : null;
}

/** The subject of "what is X", or null when the question is not a definition question. */
export function definitionSubject(question: string): string | null {
  // Asides that say how to explain ("like I'm 5", "in plain English") are not part of the subject.
  // "what's OpenRAIL? saw it on starcoder": the question is the first sentence.
  let plain = foldText(question).replace(/\?\s+\S.*$/s, "?");
  for (let aside = vocabulary().capture("intent", "explain-aside", plain); aside; ) {
    plain = `${plain.slice(0, aside.index)} ${plain.slice(aside.index + aside[0].length)}`;
    aside = vocabulary().capture("intent", "explain-aside", plain);
  }
  const subject = vocabulary().capture("intent", "definition", plain.replace(/\s+/g, " ").trim())?.[1];
  return subject?.trim() || null;
}

/** The two sides of a comparison question, each still free text; null when it compares nothing. */
export function comparisonSides(question: string): [string, string] | null {
  for (const { match } of vocabulary().matches("intent", question)) {
    if (match.length < 3) continue;
    const [, left, right] = match;
    if (left?.trim() && right?.trim()) return [left.trim(), right.trim()];
  }
  return null;
}

export function asksForList(question: string): boolean {
  return vocabulary().has("intent", "list", question);
}

/** Whether a question is about licences or terms ("which licence is less of a headache"). */
export function asksAboutLicences(question: string): boolean {
  return vocabulary().has("intent", "about-licences", question);
}

/** Comparisons of quality ("better", "best", "fastest") are judgements the content does not make. */
export function asksForJudgement(question: string): boolean {
  return vocabulary().has("intent", "quality", question);
}

/** Requests for code or help with software are never answered by a licence card, whatever they name. */
export function isNeverInScope(question: string): boolean {
  return vocabulary().has("intent", "never-in-scope", question);
}

/** Hardware, prices, installing software, news: topics answered only where a lesson covers them. */
export function isOutOfScope(question: string): boolean {
  return vocabulary().has("intent", "out-of-scope", question);
}

/** A question about several things by their plural ("osi approved licences?", "models under mit"). */
export function namesPluralTarget(question: string): boolean {
  return vocabulary().has("intent", "plural", question);
}
