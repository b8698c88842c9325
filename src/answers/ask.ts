import { canonicalWord, foldText, lookupKey, words } from "../knowledge/normalize.ts";
import type { EntryKind, KnowledgeBase } from "../knowledge/types.ts";
import { type Hit, type Mention, SIZE_TOKEN } from "../search/index.ts";
import { clauseAnswer, licenceOfAnswer, licenceTarget } from "./clause.ts";
import { entryAnswer, familyAnswer, licenceAnswer } from "./entries.ts";
import { answerList, modelsUnder } from "./lists.ts";
import {
  asksForJudgement,
  asksForList,
  asksWhichLicence,
  asksYesNo,
  clauseOf,
  comparisonSides,
  definitionSubject,
  isNeverInScope,
  isOutOfScope,
  namesPluralTarget,
} from "./question-cues.ts";
import type { AskResult, CompareAnswer, Knowledge, Subject, UnknownAnswer } from "./types.ts";

/** Entries a question can be about by name. */
const NAMED_KINDS: readonly EntryKind[] = ["license", "model", "family", "term"];
/** Entries a licence question can be about. */
const LICENSED_KINDS: readonly EntryKind[] = ["license", "model", "family"];
/** Kinds full-text search may answer with, in the order a tie is broken. */
const SEARCH_KINDS: readonly EntryKind[] = ["term", "family", "license", "model", "section"];
const SEE_ALSO = 3;
/** In "what is X", a name must cover at least this share of X's words to be its subject. */
export const MIN_SUBJECT_SHARE = 0.5;
const SUGGESTIONS = 3;

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

/**
 * A module section answers outright when it scores this much and this many times the next entry:
 * the question then reads like the section's own heading and text.
 */
export const SECTION_MIN_SCORE = 200;
export const SECTION_LEAD = 2.5;

function dominantSection([first, second]: Hit[]): boolean {
  return Boolean(
    first &&
      first.kind === "section" &&
      first.score >= SECTION_MIN_SCORE &&
      (!second || first.score >= second.score * SECTION_LEAD),
  );
}

/**
 * Families and products people ask about that the content does not hold: named in the reply so the
 * asker knows it is a gap in the content, not a misunderstanding.
 */
const KNOWN_GAPS =
  /\b(falcon|behemoth|llama ?5|phi(?:-?\d)?|grok|command[- ]?r\+?|command a|cohere|aya|yi|nemotron|nvidia|hunyuan|tencent|starcoder2?|bigcode|tulu|t[uü]lu|stable diffusion|sdxl|flux|midjourney|dall-?e|whisper|bloom|mpt|dbrx|jamba|orca|vicuna|alpaca|wizardlm|zephyr|solar|internlm|baichuan|minimax|ernie|copilot|perplexity|sora|apple intelligence|o1|o3|o4-mini|llava|bert|t5|gpt-?2|gpt-?3|gpt-?j|gpt-?neox?|opt|xgen|snowflake arctic|arctic|dolly|reka|inflection|pi)\b/;

export function answerAsk(knowledge: Knowledge, question: string): AskResult {
  const { kb, index } = knowledge;
  const mentions = index.findMentions(question, { kinds: NAMED_KINDS });
  const licensed = mentions.filter((mention) => LICENSED_KINDS.includes(mention.kind));
  const gap = KNOWN_GAPS.exec(foldText(question))?.[1] ?? null;
  const clause = clauseOf(question);
  const subject = licensed[0] ? preferSized(kb, question, licensed[0]) : null;

  // A name the content lacks makes any answer about something else wrong: "is falcon better than llama".
  if (gap && !coveredBy(gap, mentions)) return unknown(question, "unknown-name", gap, mentions);

  const sides = comparisonSides(question);
  if (sides) {
    const compared = compareFromText(knowledge, question, sides);
    if (compared) return compared;
  }
  if (isNeverInScope(question)) return unknown(question, "off-topic", null, mentions);
  if (isOutOfScope(question) && !(clause && subject)) return unknown(question, "off-topic", null, mentions);
  if (asksForJudgement(question) && !(clause && subject)) return unknown(question, "off-topic", null, mentions);

  // A plural without a list word ("osi approved licences?", "models under mit") still asks for a
  // list, unless it is about one family's models ("how open are qwen models") or asks how or why.
  // A module section that the question all but names ("the major open weights families in 2026")
  // outranks a list built by a loose cue.
  const searched = index.lookup(question, { kinds: SEARCH_KINDS, limit: SEE_ALSO + 1 });
  if (dominantSection(searched)) return entryResult(knowledge, question, searched[0]!, searched);

  const wantsList =
    asksForList(question) ||
    (namesPluralTarget(question) &&
      !/^\s*(?:how|why)\b/i.test(question) &&
      licensed.every((mention) => mention.kind === "license"));
  if (wantsList && !(clause && subject && licensed.length === 1 && !listOfLicences(question))) {
    const licenceNamed = licensed.find((mention) => mention.kind === "license");
    if (licenceNamed && /\b(?:under|use|uses|using|released|licensed|ship|shipped)\b/.test(foldText(question))) {
      return modelsUnder(kb, kb.licences.get(licenceNamed.id)!, question);
    }
    const list = answerList(kb, question);
    if (list && list.items.length > 0) return list;
  }

  if (subject && asksWhichLicence(question)) {
    const answer = licenceOfAnswer(kb, question, toSubject(subject));
    if (answer) return answer;
  }
  if (clause && subject) {
    const answer = clauseAnswer(kb, question, toSubject(subject), clause);
    if (answer) return answer;
  }

  // The whole question is a name ("qlora?", "gguf"): that entry.
  const whole = index.exact(question.replace(/[?!.]+$/, ""), { kinds: SEARCH_KINDS })[0];
  if (whole) return entryResult(knowledge, question, whole);
  const defined = definitionSubject(question);
  if (defined) {
    // "What is X": X itself, or a name that is most of X ("what is the gguf format").
    const named =
      index.exact(defined, { kinds: SEARCH_KINDS })[0] ??
      index
        .findMentions(defined, { kinds: NAMED_KINDS })
        .find((mention) => mention.end - mention.start >= Math.ceil(words(defined).length * MIN_SUBJECT_SHARE));
    if (named) return entryResult(knowledge, question, named);
  }
  // A glossary word inside a longer question ("the three licence tiers for model weights") is
  // not its subject; full text decides there. Named models, families and licences are.
  if (licensed[0]) {
    // A licence question about a family ("tell me about llama's licence") goes to its licence.
    if (subject && /\blicen[cs]/.test(foldText(question))) {
      const target = licenceTarget(kb, toSubject(subject));
      if (target && subject.kind !== "license") {
        const answer = licenceOfAnswer(kb, question, toSubject(subject));
        if (answer) return answer;
      }
    }
    return entryResult(knowledge, question, preferSized(kb, question, licensed[0]));
  }
  // "Can I use <something we do not know> commercially?": a licence verdict needs a licence, and
  // the full text would only guess one.
  if (clause && asksYesNo(question)) return unknown(question, "not-covered", null, mentions);

  const best = searched[0];
  // A glossary name in the question ("osaid") shows it is about our subject, whatever else it says.
  const onTopic = mentions.length > 0 || knownWordShare(knowledge, question) >= MIN_KNOWN_WORDS;
  if (!best || best.score < MIN_SEARCH_SCORE || !onTopic) {
    return unknown(question, "not-covered", null, searched);
  }
  return entryResult(knowledge, question, best, searched);
}

function toSubject(hit: Hit): Subject {
  return { ref: { kind: hit.kind, id: hit.id }, name: hit.name };
}

function entryResult(knowledge: Knowledge, question: string, hit: Hit, searched?: Hit[]): AskResult {
  const best = entryAnswer(knowledge, hit);
  if (!best) return unknown(question, "not-covered", null, []);
  const others = (searched ?? knowledge.index.lookup(question, { kinds: SEARCH_KINDS, limit: SEE_ALSO + 1 })).filter(
    (other) => other.kind !== hit.kind || other.id !== hit.id,
  );
  return { type: "ask", question, best, seeAlso: others.slice(0, SEE_ALSO) };
}

function unknown(question: string, reason: UnknownAnswer["reason"], name: string | null, near: Hit[]): UnknownAnswer {
  return { type: "unknown", question, reason, unknownName: name, suggestions: near.slice(0, SUGGESTIONS) };
}

/** Whether the gap word is really part of a name the content holds ("phi" inside "philosophy" never is). */
function coveredBy(gap: string, mentions: readonly Mention[]): boolean {
  const key = lookupKey(gap);
  return mentions.some((mention) => lookupKey(mention.name).includes(key));
}

/** "which licences ...": a list of licences even when one licence is named. */
function listOfLicences(question: string): boolean {
  return /\b(?:which|what) (?:\w+ )?licen[cs]es\b/.test(foldText(question));
}

/**
 * A size token ("12b", "70B") chooses among the models of a family named without one: "qwen3 8b" is
 * the 8B model. It never picks an entry on its own.
 */
function preferSized(kb: KnowledgeBase, question: string, hit: Mention | Hit): Hit {
  if (hit.kind !== "family") return hit;
  const sizes = words(question).filter((word) => SIZE_TOKEN.test(word));
  if (sizes.length === 0) return hit;
  const family = kb.families.get(hit.id);
  const sized = (family?.modelSlugs ?? []).flatMap((slug) => {
    const model = kb.models.get(slug);
    return model && sizes.some((size) => words(model.displayName).includes(size)) ? [model] : [];
  });
  return sized.length === 1
    ? { kind: "model", id: sized[0]!.slug, name: sized[0]!.displayName, match: hit.match, score: hit.score }
    : hit;
}

/** The share of a question's content words that the content uses somewhere. */
function knownWordShare({ index }: Knowledge, question: string): number {
  const content = words(question)
    .map(canonicalWord)
    .filter((word) => !index.isStopWord(word) && word.length > 1);
  if (content.length === 0) return 0;
  return content.filter((word) => index.knowsWord(word)).length / content.length;
}

/** "X vs Y" in free text: both sides must name a family, licence or model. */
function compareFromText(
  knowledge: Knowledge,
  question: string,
  [left, right]: [string, string],
): CompareAnswer | null {
  const { kb, index } = knowledge;
  const first = index.findMentions(left, { kinds: LICENSED_KINDS })[0];
  const second = index.findMentions(right, { kinds: LICENSED_KINDS })[0];
  if (!first || !second) return null;
  const aboutLicences = /\blicen[cs]/.test(foldText(question)) || first.kind === "license" || second.kind === "license";
  if (aboutLicences) {
    const a = licenceTarget(kb, toSubject(first));
    const b = licenceTarget(kb, toSubject(second));
    if (!a || !b || a.licence.id === b.licence.id) return null;
    return {
      type: "compare",
      left: licenceAnswer(knowledge, a.licence.id)!,
      right: licenceAnswer(knowledge, b.licence.id)!,
    };
  }
  const familyOf = (hit: Hit) => (hit.kind === "model" ? kb.models.get(hit.id)?.familyId : hit.id);
  const a = familyOf(first);
  const b = familyOf(second);
  if (!a || !b || a === b) return null;
  const left_ = familyAnswer(knowledge, a);
  const right_ = familyAnswer(knowledge, b);
  return left_ && right_ ? { type: "compare", left: left_, right: right_ } : null;
}
