import { asksAboutLicences, asksForJudgement, isNeverInScope, isOutOfScope } from "../../understand/wording.ts";
import { declineAnswer } from "../decline.ts";
import type { AskResult } from "../types.ts";
import { unknown } from "./entry-result.ts";
import { lessonHit, SECTION_MIN_SCORE } from "./passages.ts";
import { asksAboutTechnique, type Question } from "./question.ts";

/** A lesson passage scoring this high answers a question whose wording alone looks out of scope. */
const OUT_OF_SCOPE_LESSON_SCORE = 400;

/** Legal advice, guarantees, drafting, predictions, rankings: declined kindly, with what it can do instead. */
export function decline({ knowledge, frame, text, mentions }: Question): AskResult | null {
  const offers = mentions.filter((mention) => mention.kind === "family" || mention.kind === "model");
  return frame.declineReason ? declineAnswer(knowledge.kb, text, frame.declineReason, offers) : null;
}

/** "Which is better for my essays": a judgement of quality the content does not make. */
export function opinion(question: Question): AskResult | null {
  const aboutTerms = asksAboutLicences(question.text) || (question.clause !== null && question.subject !== null);
  // "Are imatrix quants better?", "is 70b at q2 better than 32b at q6?": the lessons weigh techniques.
  if (asksAboutTechnique(question.frame, question.text, question.licensed)) return null;
  if (question.licensed.length === 0 && lessonHit(question, SECTION_MIN_SCORE)) return null;
  return asksForJudgement(question.text) && !aboutTerms ? unknown(question, "off-topic") : null;
}

/**
 * Prices, installs, code help, news: declined even when they name an entry ("how much is gpt-5 per
 * million tokens"). Hardware is no longer among them: fit questions and the lessons answer it.
 */
export function outOfScope(question: Question): AskResult | null {
  if (isNeverInScope(question.text)) return unknown(question, "off-topic");
  const aboutTerms = (question.clause !== null && question.subject !== null) || asksAboutLicences(question.text);
  if (!isOutOfScope(question.text) || aboutTerms) return null;
  // "How many tokens does an image cost?": a lesson that all but names the question outranks a loose cue.
  if (question.licensed.length === 0 && lessonHit(question, OUT_OF_SCOPE_LESSON_SCORE)) return null;
  return unknown(question, "off-topic");
}
