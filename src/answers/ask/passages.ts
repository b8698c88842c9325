import { canonicalWord, lookupKey, words } from "../../knowledge/normalize.ts";
import type { Hit } from "../../search/index.ts";
import { vocabulary } from "../../understand/vocabulary.ts";
import { asksAboutLicences } from "../../understand/wording.ts";
import type { AskResult, Knowledge } from "../types.ts";
import { entryResult } from "./entry-result.ts";
import { type Question, SEARCH_KINDS } from "./question.ts";

/**
 * A question that names no entry is answered from the full text only when the best match scores at
 * least this: an unrelated question ("what's the best pizza topping") scores about 40 while a real
 * one ("which releases publish weights, data and training code") scores well above 100.
 */
export const MIN_SEARCH_SCORE = 60;

/**
 * ...and when at least this share of its content words occur somewhere in the content. A question
 * mostly made of words the content never uses ("weather tomorrow in Paris") is not about it.
 */
export const MIN_KNOWN_WORDS = 0.6;

/** A word used by this few entries tells what the question is about (see `rareWordHit`). */
const RARE_WORD_ENTRIES = 6;
const RARE_WORD_MIN_SCORE = 15;

/** A named glossary word within this share of the best full-text score is taken as the subject. */
const NAMED_TERM_TIE = 0.9;

/**
 * A module section answers outright when it scores this much and this many times the next entry:
 * the question then reads like the section's own heading and text.
 */
export const SECTION_MIN_SCORE = 200;
export const SECTION_LEAD = 2.5;

/**
 * A module section the question all but names outranks a list built by a loose cue; a clause asked
 * of a named licence or model is never a section's question.
 */
export function dominantSection(question: Question): AskResult | null {
  if (question.clause && question.subject) return null;
  const {
    knowledge,
    text,
    searched: [first, second],
  } = question;
  const dominant =
    first &&
    first.kind === "section" &&
    first.score >= SECTION_MIN_SCORE &&
    (!second || first.score >= second.score * SECTION_LEAD);
  return dominant ? entryResult(knowledge, text, first, undefined, question.frame.searchWords) : null;
}

/** "Give me an overview of the weights layer": the layer's opening section, whatever else scores. */
export function layerOverview({ knowledge, text }: Question): AskResult | null {
  const match = vocabulary().capture("intent", "layer-overview", text);
  const named = match?.slice(1).find(Boolean)?.trim().replace(/\s+/g, "-");
  if (!named) return null;
  const layer = [...knowledge.kb.layers.values()].find(
    (candidate) => candidate.slug === named || lookupKey(candidate.title) === lookupKey(named),
  );
  const section = layer ? knowledge.kb.sections.get(`${layer.slug}#overview`) : undefined;
  return section
    ? entryResult(knowledge, text, { kind: "section", id: section.id, name: section.heading, score: 0, match: "name" })
    : null;
}

/** No name at all: the full text answers when it matches well and the question is about our subject. */
export function fullText(question: Question): AskResult | null {
  const { knowledge, text, mentions } = question;
  // A licence card answers only a question about terms: "explain attention in simple terms" is not one.
  const aboutTerms = question.clause !== null || asksAboutLicences(text) || question.licensed.length > 0;
  const searched = aboutTerms ? question.searched : question.searched.filter((hit) => hit.kind !== "license");
  // "Why is prompt processing fast but generation slow?": the glossary word named wins a near tie
  // with another glossary word; a lesson passage that ranks first still explains better.
  const named = searched.find(
    (hit) =>
      hit.kind === "term" &&
      searched[0]?.kind === "term" &&
      mentions.some((mention) => mention.kind === "term" && mention.id === hit.id) &&
      hit.score >= (searched[0]?.score ?? 0) * NAMED_TERM_TIE,
  );
  const best = named ?? searched[0];
  // A glossary name in the question ("osaid") shows it is about our subject, whatever else it says.
  const onTopic = mentions.length > 0 || knownWordShare(knowledge, text) >= MIN_KNOWN_WORDS;
  if (!best || !onTopic) return null;
  if (best.score >= MIN_SEARCH_SCORE) return entryResult(knowledge, text, best, searched, question.frame.searchWords);
  const telling = rareWordHit(question, searched);
  return telling ? entryResult(knowledge, text, telling, searched, question.frame.searchWords) : null;
}

/**
 * "Do I need NVLink for two 3090s?": a word few entries use is the question's subject even when the
 * whole question scores low, so the best entry using it answers, if it scores at all.
 */
function rareWordHit({ knowledge: { index }, text }: Question, searched: readonly Hit[]): Hit | undefined {
  const asked = contentWords(index, text).filter((word) => !/\d/.test(word));
  // "My react useEffect runs twice": a word the content never uses says the question is elsewhere.
  if (asked.some((word) => !index.knowsWord(word))) return undefined;
  const telling = asked
    .filter((word) => word.length > 2)
    .map((word) => index.documentsUsing(word, { kinds: SEARCH_KINDS }))
    .filter((entries) => entries.size > 0 && entries.size <= RARE_WORD_ENTRIES);
  if (telling.length === 0) return undefined;
  return searched.find(
    (hit) => hit.score >= RARE_WORD_MIN_SCORE && telling.some((entries) => entries.has(`${hit.kind}:${hit.id}`)),
  );
}

/** A question's words as the index spells them, without stop words and single letters. */
function contentWords(index: Knowledge["index"], text: string): string[] {
  return words(text)
    .map(canonicalWord)
    .filter((word) => word.length > 1 && !index.isStopWord(word));
}

/** The share of a question's content words that the content uses somewhere. */
function knownWordShare({ index }: Knowledge, question: string): number {
  const content = contentWords(index, question);
  if (content.length === 0) return 0;
  return content.filter((word) => index.knowsWord(word)).length / content.length;
}

/** The best passage of a lesson the full text finds, when it scores as an answer would. */
export function lessonHit(question: Question, minScore = MIN_SEARCH_SCORE): Hit | undefined {
  return question.searched.find(
    (hit) =>
      hit.kind === "section" &&
      hit.score >= minScore &&
      question.knowledge.kb.sections.get(hit.id)?.source === "lesson",
  );
}
