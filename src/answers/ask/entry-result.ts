import { IN_PRACTICE_SLUG } from "../../knowledge/in-practice.ts";
import type { Term } from "../../knowledge/types.ts";
import { siteUrls } from "../../knowledge/urls.ts";
import type { Hit } from "../../search/index.ts";
import { definitionSubject } from "../../understand/wording.ts";
import { entryAnswer } from "../entries.ts";
import { nextPassages, passagePoint } from "../passage-point.ts";
import { entryLinks } from "../site.ts";
import type { AskResult, Knowledge, UnknownAnswer } from "../types.ts";
import { type Question, SEARCH_KINDS, SEE_ALSO, SUGGESTIONS } from "./question.ts";

/** How much of a glossary entry's first paragraph its card shows: a point inside it is already seen. */
const TERM_OPENING_SHOWN = 320;

export function entryResult(
  knowledge: Knowledge,
  question: string,
  hit: Hit,
  searched?: Hit[],
  hints: readonly string[] = [],
  /** False when the question only names the entry: its opening says what it is. */
  quote = true,
): AskResult | null {
  const practice = inPractice(knowledge, question, hit);
  if (practice) return entryResult(knowledge, question, practice, [hit, ...(searched ?? [])], hints);
  const best = entryAnswer(knowledge, hit);
  if (!best) return null;
  const others = (searched ?? knowledge.index.lookup(question, { kinds: SEARCH_KINDS, limit: SEE_ALSO + 1 })).filter(
    (other) => other.kind !== hit.kind || other.id !== hit.id,
  );
  const passage =
    best.type === "section"
      ? {
          ...best,
          point: passagePoint(best.section.blocks, withHints(question, hints)),
          next: nextPassages(knowledge.kb, best.section, others),
        }
      : best.type === "term"
        ? { ...best, point: quote ? termPoint(best.term, question, hints) : null }
        : best;
  return { type: "ask", question, best: passage, seeAlso: entryLinks(knowledge.kb, others.slice(0, SEE_ALSO)) };
}

/**
 * "Why is prompt processing fast but generation slow?" lands on a glossary entry whose answer may sit
 * past its opening: those sentences are quoted. "What is X" is answered by the opening itself.
 */
function termPoint(term: Term, question: string, hints: readonly string[]): string | null {
  if (definitionSubject(question)) return null;
  const point = passagePoint(term.paragraphs, withHints(question, hints));
  const opening = (term.paragraphs[0] ?? "").slice(0, TERM_OPENING_SHOWN);
  return point && !opening.includes(point.split(/(?<=[.!?])\s/)[0]!) ? point : null;
}

/**
 * "How do I keep a model loaded in Ollama?" on a site checkout: the site defines Ollama, and our
 * entry on it, with the tasks, sits beside it as "Ollama in practice"; a how-to question gets ours.
 */
function inPractice({ kb }: Knowledge, question: string, hit: Hit): Hit | null {
  if (hit.kind !== "term" || definitionSubject(question)) return null;
  const practice = kb.terms.get(`${hit.id}${IN_PRACTICE_SLUG}`);
  return practice ? { kind: "term", id: practice.slug, name: practice.term, score: hit.score, match: hit.match } : null;
}

/** The question with the content's words for the asker's ("gpu memory" for "vram"), for choosing sentences. */
function withHints(question: string, hints: readonly string[]): string {
  return [question, ...hints].join(" ");
}

/** "I don't know", with the entries the question named or came near offered only as suggestions. */
export function unknown(
  question: Question,
  reason: UnknownAnswer["reason"],
  name: string | null = null,
): UnknownAnswer {
  const near = question.mentions.length > 0 || reason !== "not-covered" ? question.mentions : question.searched;
  return {
    type: "unknown",
    question: question.text,
    reason,
    unknownName: name,
    suggestions: entryLinks(question.knowledge.kb, near.slice(0, SUGGESTIONS)),
    siteUrl: siteUrls.home(),
  };
}
