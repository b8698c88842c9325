import type { ClauseQuestion } from "../content/schemas.ts";
import { IN_PRACTICE_SLUG } from "../knowledge/in-practice.ts";
import { canonicalWord, foldText, lookupKey, words } from "../knowledge/normalize.ts";
import type { EntryKind, KnowledgeBase, Term } from "../knowledge/types.ts";
import { siteUrls } from "../knowledge/urls.ts";
import { type Hit, type Mention, SIZE_TOKEN } from "../search/index.ts";
import { type Frame, understand } from "../understand/frame.ts";
import { familyOfMention, withoutNames } from "../understand/names.ts";
import { withoutProposedName } from "../understand/situation.ts";
import { vocabulary } from "../understand/vocabulary.ts";
import {
  asksAboutLicences,
  asksForJudgement,
  asksForList,
  asksWhichLicence,
  asksYesNo,
  comparisonSides,
  definitionSubject,
  isNeverInScope,
  isOutOfScope,
  namesPluralTarget,
} from "../understand/wording.ts";
import { clauseAnswer, licenceOfAnswer, licenceTarget, versionNamed } from "./clause.ts";
import { compareFromText } from "./compare-text.ts";
import { declineAnswer } from "./decline.ts";
import { entryAnswer } from "./entries.ts";
import { answerFit, answerFitCapacity } from "./fit/fit.ts";
import { answerHardwareCompare } from "./fit/hardware-compare.ts";
import { modelForFit } from "./fit/sized-model.ts";
import { answerList, familiesUnder, familyVersionsList, licencesBanning, modelsUnder } from "./lists.ts";
import { osaidAnswer } from "./osaid.ts";
import { nextPassages, passagePoint } from "./passage-point.ts";
import { entryLink, entryLinks } from "./site.ts";
import type { AskResult, Knowledge, Subject, UnknownAnswer } from "./types.ts";

/** Entries a question can be about by name. */
const NAMED_KINDS: readonly EntryKind[] = ["license", "model", "family", "term"];
/** Entries a licence question can be about. */
const LICENSED_KINDS: readonly EntryKind[] = ["license", "model", "family"];
/** Kinds full-text search may answer with, in the order a tie is broken. */
const SEARCH_KINDS: readonly EntryKind[] = ["term", "family", "license", "model", "section"];
const SEE_ALSO = 3;
const SUGGESTIONS = 3;

/** In "what is X", a name must cover at least this share of X's words to be its subject. */
export const MIN_SUBJECT_SHARE = 0.5;

/**
 * A question that names no entry is answered from the full text only when the best match scores at
 * least this: an unrelated question ("what's the best pizza topping") scores about 40 while a real
 * one ("which releases publish weights, data and training code") scores well above 100.
 */
export const MIN_SEARCH_SCORE = 60;
/** A word used by this few entries tells what the question is about (see `rareWordHit`). */
const RARE_WORD_ENTRIES = 6;
const RARE_WORD_MIN_SCORE = 15;
/** How much of a glossary entry's first paragraph its card shows: a point inside it is already seen. */
const TERM_OPENING_SHOWN = 320;
/** A named glossary word within this share of the best full-text score is taken as the subject. */
const NAMED_TERM_TIE = 0.9;

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
/** A lesson passage scoring this high answers a question whose wording alone looks out of scope. */
const OUT_OF_SCOPE_LESSON_SCORE = 400;

/**
 * Families and products people ask about that the content does not hold: named in the reply so the
 * asker knows it is a gap in the content, not a misunderstanding.
 */
const KNOWN_GAPS =
  /\b(behemoth|llama ?5|stable diffusion|sdxl|flux|midjourney|dall-?e|whisper|bloom|mpt|dbrx|jamba|orca|vicuna|alpaca|wizardlm|zephyr|solar|internlm|baichuan|minimax|ernie|copilot|perplexity|sora|llava|bert|t5|gpt-?2|gpt-?3|gpt-?j|gpt-?neox?|opt|xgen|snowflake arctic|arctic|dolly|reka|inflection|pi)\b/;

/** The cue for "do I have to open-source my fine-tune" (content/cues/clauses.yaml). */
const COPYLEFT_CUE = "redistribute-5";

/** A question read once: what it names, which clause it asks about, and its full-text ranking. */
interface Question {
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

type Step = (question: Question) => AskResult | null;

/**
 * `/ask`: the answer shaped by the question. Each step either answers or passes; the order is the
 * order of precedence, from what rules an answer out to what merely ranks one.
 */
const STEPS: readonly Step[] = [
  decline,
  fit,
  unknownModel,
  tool,
  contentGap,
  osaid,
  opinion,
  outOfScope,
  comparison,
  dominantSection,
  layerOverview,
  wholeName,
  list,
  whichLicence,
  clauseVerdict,
  definition,
  namedEntry,
  unknownLicensee,
  fullText,
  osaidConcept,
];

export function answerAsk(knowledge: Knowledge, text: string): AskResult {
  const question = read(knowledge, text);
  for (const step of STEPS) {
    const answer = step(question);
    if (answer) return answer;
  }
  return unknown(question, "not-covered");
}

function read(knowledge: Knowledge, text: string): Question {
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
function asksAboutTechnique(frame: Frame, text: string, licensed: readonly Mention[]): boolean {
  if (licensed.length > 0 || frame.situation.purposes.length > 0 || frame.clauseCue === COPYLEFT_CUE) return false;
  if (asksAboutLicences(text)) return false;
  const technique = frame.mentions.some((mention) => mention.kind === "term") || frame.tools.length > 0;
  // "How much extra VRAM do 10 people eat?": memory and speed are the fit method's, not a cap's.
  return technique || frame.fit.format !== null || frame.fit.width !== null || frame.fit.intent !== null;
}

/** Legal advice, guarantees, drafting, predictions, rankings: declined kindly, with what it can do instead. */
function decline({ knowledge, frame, text, mentions }: Question): AskResult | null {
  const offers = mentions.filter((mention) => mention.kind === "family" || mention.kind === "model");
  return frame.declineReason ? declineAnswer(knowledge.kb, text, frame.declineReason, offers) : null;
}

/**
 * "Will Qwen3 30B run on my 4090?", "how much VRAM for a 70B at Q4?", "what can I run on 24 GB?":
 * the site's fit method. A licence question that names hardware ("can I ship llama on a 4090
 * commercially?") stays a licence question.
 */
function fit(question: Question): AskResult | null {
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
  if (asked.intent === "capacity" || !model) {
    return named && asked.intent !== "memory" ? answerFitCapacity(knowledge.kb, text, named, request) : null;
  }
  if (asked.intent === "speed" && !named) return null;
  return answerFit(knowledge.kb, text, { ...request, intent: asked.intent ?? "fit", model, hardware: named });
}

/** "Llama 3.2 Mini", "zorblax-13b": a model we do not hold is never answered as one we do. */
function unknownModel(question: Question): AskResult | null {
  const [name] = question.frame.unknownNames;
  if (!name) return null;
  // Offer the family, never a licence: a licence beside an unknown name reads as its answer.
  const families = question.mentions.filter((mention) => mention.kind === "family");
  return {
    ...unknown(question, "unknown-name", name),
    suggestions: entryLinks(question.knowledge.kb, families.slice(0, SUGGESTIONS)),
  };
}

/**
 * A tool whose name holds a family word (llama.cpp, LlamaIndex) is the tool: its glossary entry
 * when the content has one, otherwise an honest "I don't know it", never the family's licence.
 */
function tool(question: Question): AskResult | null {
  const { frame, knowledge, text, licensed } = question;
  const [name] = frame.tools;
  // A model named beside the tool ("llama 3.1 8b on llama.cpp") is what a licence question is about.
  if (!name || licensed.some((mention) => mention.kind === "model")) return null;
  // "llama.cpp or vLLM for 20 people?": two tools weighed against each other are the lessons' question.
  const entry = frame.tools.length === 1 ? knowledge.index.exact(name, { kinds: ["term"] })[0] : undefined;
  // "What is paged attention in vLLM?": the glossary word defined is the subject, not the tool.
  const [first] = question.searched;
  const defined =
    definitionSubject(text) &&
    first?.kind === "term" &&
    first.id !== entry?.id &&
    question.mentions.some((mention) => mention.kind === "term" && mention.id === first.id);
  if (defined) return entryResult(knowledge, text, first, question.searched, frame.searchWords);
  if (entry) return entryResult(knowledge, text, entry, undefined, frame.searchWords);
  // "sglang vs vllm, what's the difference?": how the tools work is in the lessons; their terms are not.
  const aboutTerms = question.clause !== null || asksAboutLicences(text) || asksWhichLicence(text);
  const lesson = aboutTerms ? undefined : lessonHit(question);
  // "What is paged attention in vLLM?": a glossary word named beside the tool, ranked above the lesson, is the subject.
  const term = question.searched.find(
    (hit) =>
      hit.kind === "term" &&
      (!lesson || hit.score > lesson.score) &&
      question.mentions.some((mention) => mention.kind === "term" && mention.id === hit.id),
  );
  const hints = frame.searchWords;
  if (term && !aboutTerms) return entryResult(knowledge, text, term, question.searched, hints);
  if (lesson) return entryResult(knowledge, text, lesson, question.searched, hints);
  return { ...unknown(question, "unknown-name", name), suggestions: [] };
}

/** The best passage of a lesson the full text finds, when it scores as an answer would. */
function lessonHit(question: Question, minScore = MIN_SEARCH_SCORE): Hit | undefined {
  return question.searched.find(
    (hit) =>
      hit.kind === "section" &&
      hit.score >= minScore &&
      question.knowledge.kb.sections.get(hit.id)?.source === "lesson",
  );
}

/** "Does OLMo meet the OSI's Open Source AI Definition?": release facts, not licence approval. */
function osaid({ frame, knowledge, text, subject }: Question): AskResult | null {
  if (!frame.osaid) return null;
  const term = knowledge.index.exact("osaid", { kinds: ["term"] })[0];
  const family = subject?.kind === "license" ? knowledge.kb.licences.get(subject.id)?.familyIds[0] : undefined;
  const about = family
    ? { ref: { kind: "family" as const, id: family }, name: family }
    : subject
      ? toSubject(subject)
      : null;
  if (frame.osaid === "what") return term ? entryResult(knowledge, text, term) : null;
  if (!about) return osaidRequirement(knowledge, text, frame.osaidRequirement, term);
  return osaidAnswer(knowledge.kb, text, about);
}

/**
 * "Does OSAID require the training data?", "can a compliant model use GPL?": the definition's own
 * requirement, answered yes or no from our registry with its source, above the definition's entry.
 */
function osaidRequirement(knowledge: Knowledge, text: string, asked: string | null, term: Hit | undefined) {
  const facts = knowledge.kb.osaid;
  const fact = asked ? facts?.requirements.get(asked) : undefined;
  if (!fact || !term || !facts) return null;
  const answer = entryResult(knowledge, text, term);
  if (answer?.type !== "ask") return answer;
  const [word, ...rest] = fact.text.split(": ");
  const source = `[${facts.source.title}](${facts.source.url}), checked ${facts.checked}`;
  return { ...answer, lead: `**${word}**: ${rest.join(": ")} (${source})` };
}

/** "Does the OSAID require the training code?": the definition's own entry, when nothing else is named. */
function osaidConcept({ frame, knowledge, text }: Question): AskResult | null {
  if (!frame.osaid) return null;
  const term = knowledge.index.exact("osaid", { kinds: ["term"] })[0];
  return term ? entryResult(knowledge, text, term) : null;
}

/** A name the content lacks makes any answer about something else wrong: "is falcon better than llama". */
function contentGap(question: Question): AskResult | null {
  const named = withoutProposedName(question.text, question.frame.situation.proposedName ?? null);
  const gap = KNOWN_GAPS.exec(foldText(named))?.[1];
  return gap && !coveredBy(gap, question.mentions) ? unknown(question, "unknown-name", gap) : null;
}

/** "Which is better for my essays": a judgement of quality the content does not make. */
function opinion(question: Question): AskResult | null {
  const aboutTerms = asksAboutLicences(question.text) || (question.clause !== null && question.subject !== null);
  // "Are imatrix quants better?", "is 70b at q2 better than 32b at q6?": the lessons weigh techniques.
  if (asksAboutTechnique(question.frame, question.text, question.licensed)) return null;
  if (question.licensed.length === 0 && lessonHit(question, SECTION_MIN_SCORE)) return null;
  return asksForJudgement(question.text) && !aboutTerms ? unknown(question, "off-topic") : null;
}

function comparison(question: Question): AskResult | null {
  return compareFromText(question.knowledge, question.text, question.frame.clause) ?? compareTerms(question);
}

/** "Open weights vs open source": two glossary words, each defined, the first as the answer. */
function compareTerms({ knowledge, text, clause, subject }: Question): AskResult | null {
  const sides = comparisonSides(text);
  // "openrail m, osi-approved or not?" asks a clause of a licence, not two words.
  if (!sides || (clause && subject)) return null;
  // A quoted phrase is the side itself: "'open source' for a model" compares "open source".
  const terms = sides.map((side) => {
    // The phrase itself: quoted, or the side up to its first comma or question mark.
    const inQuotes = /['"‘“]([^'"’”]{2,40})['"’”]/.exec(side)?.[1];
    const quoted = inQuotes ?? side.split(/[,?;:]/)[0]!.trim();
    const named =
      knowledge.index.exact(quoted, { kinds: ["term"] })[0] ??
      knowledge.index.findMentions(quoted, { kinds: ["term"] })[0];
    // Full text only for a side the asker quoted: it is a term by their own account.
    const short = quoted.split(/\s+/).length <= 3;
    return named ?? (inQuotes && short ? knowledge.index.search(quoted, { kinds: ["term"], limit: 1 })[0] : undefined);
  });
  const [first, second] = terms;
  if (!first || !second || first.id === second.id) return null;
  const best = entryAnswer(knowledge, first);
  if (!best) return null;
  // "Open weights vs open source, same thing?": two entries of their own are two things.
  const same = /\bsame (?:thing|things|as)\b|\bidentical\b|\binterchangeabl/i.test(text);
  const lead = same
    ? `⛔ **No**: ${first.name} and ${second.name} are different things; the first is below, the second one button away.`
    : undefined;
  return { type: "ask", question: text, best, seeAlso: [entryLink(knowledge.kb, second)], ...(lead ? { lead } : {}) };
}

/**
 * Prices, installs, code help, news: declined even when they name an entry ("how much is gpt-5 per
 * million tokens"). Hardware is no longer among them: fit questions and the lessons answer it.
 */
function outOfScope(question: Question): AskResult | null {
  if (isNeverInScope(question.text)) return unknown(question, "off-topic");
  const aboutTerms = (question.clause !== null && question.subject !== null) || asksAboutLicences(question.text);
  if (!isOutOfScope(question.text) || aboutTerms) return null;
  // "How many tokens does an image cost?": a lesson that all but names the question outranks a loose cue.
  if (question.licensed.length === 0 && lessonHit(question, OUT_OF_SCOPE_LESSON_SCORE)) return null;
  return unknown(question, "off-topic");
}

/**
 * A module section the question all but names outranks a list built by a loose cue; a clause asked
 * of a named licence or model is never a section's question.
 */
function dominantSection(question: Question): AskResult | null {
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
function layerOverview({ knowledge, text }: Question): AskResult | null {
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

/** The whole question is a name ("qlora?", "gguf"): that entry. */
function wholeName({ knowledge, text }: Question): AskResult | null {
  const hit = knowledge.index.exact(text.replace(/[?!.]+$/, ""), { kinds: SEARCH_KINDS })[0];
  return hit ? entryResult(knowledge, text, hit) : null;
}

/**
 * "Which models …", "osi approved licences?", "which mistral models are apache licensed": a list from
 * the structured data. A plural without a list word still asks for one, unless it asks how or why.
 * One family named: its releases by version; a licence named: the models under it.
 */
function list(question: Question): AskResult | null {
  const { knowledge, text, licensed, clause, subject } = question;
  const { kb } = knowledge;
  const plural = namesPluralTarget(text) && !/^\s*(?:how|why)\b/i.test(text);
  if (!asksForList(text) && !plural) return null;
  // "Which licences forbid military use?": the licences whose use policy bans it.
  const banned = question.frame.situation.purposes.filter((purpose) => BANNED_PURPOSES.has(purpose));
  if (banned.length && !licensed.length) return licencesBanning(kb, banned, text);
  const licenceNamed = licensed.find((mention) => mention.kind === "license");
  const familyNamed = licensed.find((mention) => mention.kind === "family");
  // "Chinese labs under Apache?": the labs' country narrows the list.
  const places = question.frame.situation.places;
  // "Can I use llama models commercially?" is a verdict about one family, not a list.
  if (clause && subject && asksYesNo(text) && !asksForList(text)) return null;
  // "Which qwen models are NOT apache?": the family's versions with their licences answer it.
  const negated = /\bnot\b|n't\b|\bnon-?\b|\bexcept\b|\bother than\b/.test(foldText(text));
  if (familyNamed && negated) return familyVersionsList(kb, kb.families.get(familyNamed.id)!, text);
  // "Which families use Apache?", "which big families are NOT on Apache?": families, not model rows.
  if (licenceNamed && !familyNamed && /\b(?:families|labs|companies|developers)\b/.test(foldText(text))) {
    return familiesUnder(kb, kb.licences.get(licenceNamed.id)!, text, negated, places);
  }
  if (licenceNamed && /\b(?:under|use|uses|using|released|licensed|ship|shipped|are)\b/.test(foldText(text))) {
    return modelsUnder(kb, kb.licences.get(licenceNamed.id)!, text, familyNamed?.id ?? null, places);
  }
  if (familyNamed && !/\blicen[cs]es\b/.test(foldText(text))) {
    // Several labs named ("openai and xai"): each one's releases.
    const others = licensed
      .filter((mention) => mention.kind === "family" && mention.id !== familyNamed.id)
      .flatMap((mention) => kb.families.get(mention.id) ?? []);
    return familyVersionsList(kb, kb.families.get(familyNamed.id)!, text, [...new Set(others)]);
  }
  if (subject && !asksForList(text)) return null;
  const answer = answerList(kb, text);
  return answer && answer.items.length > 0 ? answer : null;
}

/**
 * "What licence is X under"; a question that only ends in "licence?" unless it asks about a clause;
 * and "is falcon 40b apache?", a model or family named beside a licence.
 */
function whichLicence(question: Question): AskResult | null {
  const { knowledge, text, subject, clause, licensed, frame } = question;
  const asked = asksWhichLicence(text);
  const named = licensed[0];
  const besideLicence =
    !clause &&
    named !== undefined &&
    subject?.kind !== "license" &&
    licensed.some(
      (mention) => mention.kind === "license" && (mention.start >= named.end || mention.end <= named.start),
    );
  // "Tulu-3-8B is apache right?", "Qwen3-30B-A3B apache?": a guessed licence, checked yes or no.
  // The guess comes after every name of the model ("Llama-3.3-70B-Instruct is apache right?").
  const nameEnd = Math.max(
    0,
    ...licensed.filter((mention) => mention.kind !== "license").map((mention) => mention.end),
  );
  // "Do I also have to follow the Llama licence?": whether that licence applies, yes or no.
  const follows = frame.polarity === "must" && /\b(?:follow|comply with|abide by|respect|obey)\b/i.test(text);
  const guessed =
    subject &&
    !clause &&
    subject.kind !== "license" &&
    (follows || (frame.polarity !== "may" && frame.polarity !== "must"))
      ? licensed.find((mention) => mention.kind === "license" && mention.start >= nameEnd)
      : undefined;
  if (
    guessed &&
    subject &&
    !frame.situation.purposes.includes("relicense") &&
    (follows || /\?\s*$|\b(?:right|yeah|still|just|same|heard|i think|or nah|or not|isn'?t it)\b/i.test(text))
  ) {
    return withQuestion(text, licenceOfAnswer(knowledge.kb, frame.resolvedText, toSubject(subject), guessed.id));
  }
  const left = subject && subject.kind !== "license" ? formerLicenceAsked(question, subject) : null;
  if (left) return left;
  const worded = subject && subject.kind !== "license" ? guessInWording(question, subject, follows) : null;
  if (worded) return withQuestion(text, licenceOfAnswer(knowledge.kb, frame.resolvedText, toSubject(subject!), worded));
  const otherGuess = guessAfterOwnLicence(question);
  if (otherGuess) return otherGuess;
  if (!subject || (!asked && !besideLicence) || (asked === "weak" && clause)) return null;
  // "Can we keep using it under the standard licence at 120M MAU?" is a clause question.
  if (clause && frame.polarity && !/\b(?:what|which)\b/i.test(text)) return null;
  const claimed = besideLicence && asksYesNo(text) ? licensed.find((mention) => mention.kind === "license") : undefined;
  return withQuestion(text, licenceOfAnswer(knowledge.kb, frame.resolvedText, toSubject(subject), claimed?.id ?? null));
}

/**
 * "Yi-34B still under the Yi licence or nah?", "falcon 40b still stuck on that royalty license?": a
 * licence the family has left, named the way people remember it. No, with what replaced it.
 */
function formerLicenceAsked({ knowledge, text, frame }: Question, subject: Hit): AskResult | null {
  const { kb } = knowledge;
  const familyId = subject.kind === "family" ? subject.id : kb.models.get(subject.id)?.familyId;
  const family = familyId ? kb.families.get(familyId) : undefined;
  if (!family?.formerLicences.length) return null;
  const folded = foldText(text);
  // "Still", "anymore", "the old …": whether it is still under it, not what that licence says.
  if (!/\b(?:still|anymore|any more|stuck|again|old|older|previous|original|or nah|or not)\b/.test(folded)) return null;
  const former = family.formerLicences.find((entry) =>
    [entry.name, ...entry.aliases].some((alias) => folded.includes(foldText(alias))),
  );
  if (!former) return null;
  const answer = licenceOfAnswer(kb, frame.resolvedText, toSubject(subject));
  return answer ? withQuestion(text, { ...answer, formerly: former }) : null;
}

/**
 * A licence guessed in words a name list misses: "is that model purely MIT-licensed?" (whatever else
 * the question says about use), and "do I need to follow the llama license too?" (a family's licence,
 * checked against the one the model carries).
 */
function guessInWording({ knowledge, text }: Question, subject: Hit, follows: boolean): string | null {
  const { kb, index } = knowledge;
  const folded = foldText(text);
  const licensedAs = /\b(?:is|are)\b[^?]*?\b([a-z][\w.]*(?:[ -][\w.]+)?)[- ]licen[cs]ed\b[^?]*\?\s*$/.exec(folded);
  if (licensedAs) {
    const words = licensedAs[1]!.split(/[ -]/);
    // "purely MIT-licensed": the licence is the word or two right before "licensed".
    for (const name of [words.join(" "), words.at(-1)!]) {
      const licence = index.exact(name, { kinds: ["license"] })[0];
      if (licence) return licence.id;
    }
  }
  const family = follows
    ? /\b(?:follow|comply with|abide by|respect|obey)\b[^?]{0,20}?\b([a-z][\w.-]*)['’]?s? licen[cs]e\b/.exec(folded)
    : null;
  const named = family ? index.exact(family[1]!, { kinds: ["family"] })[0] : undefined;
  if (!named) return null;
  const familyLicences = kb.families.get(named.id)?.licenses.map((entry) => entry.licenseId) ?? [];
  const carried = subject.kind === "model" ? (kb.models.get(subject.id)?.licenceIds ?? []) : [];
  return carried.find((id) => familyLicences.includes(id)) ?? familyLicences[0] ?? null;
}

/**
 * "Falcon 180B licence - also apache?": a licence named after its model, then another one guessed.
 * The guess is about the model's licence, checked yes or no, as "is Falcon 180B apache?" would be.
 */
function guessAfterOwnLicence({ knowledge, text, subject, clause, licensed, frame }: Question): AskResult | null {
  if (subject?.kind !== "license" || clause || !/\?\s*$|\b(?:also|too|right|still)\b/i.test(text)) return null;
  // "Llama 3 licence - same as llama 2?" compares two licences; that is not a guess.
  if (/\b(?:same|different|differ|changed?|vs|versus|compared?|than|like)\b/i.test(text)) return null;
  const own = licensed.find((mention) => mention.kind === "license" && mention.id === subject.id);
  const guessed = licensed.find(
    (mention) =>
      mention.kind === "license" && mention.id !== subject.id && own !== undefined && mention.start >= own.end,
  );
  const named = licensed.find(
    (mention) =>
      mention.kind !== "license" && own !== undefined && mention.start >= own.start && mention.end <= own.end,
  );
  if (!own || !guessed || !named) return null;
  const model = preferSized(knowledge.kb, text, named);
  return withQuestion(text, licenceOfAnswer(knowledge.kb, frame.resolvedText, toSubject(model), guessed.id));
}

function clauseVerdict({ knowledge, text, subject: named, clause, frame, licensed }: Question): AskResult | null {
  if (!clause || !named) return null;
  // "Nemotron under the NVIDIA Open Model License": the licence named, not every licence of the family.
  const tokens = words(text);
  const licenceOfFamily =
    named.kind === "family"
      ? licensed.find(
          (mention) =>
            mention.kind === "license" &&
            // Named as a licence ("... open model license"), not a family word that a licence shares.
            tokens.slice(mention.start, mention.end).some((word) => /^(?:licen[cs]e|terms|agreement)$/.test(word)) &&
            knowledge.kb.licences.get(mention.id)?.familyIds.includes(named.id),
        )
      : undefined;
  const subject = licenceOfFamily ?? named;
  // "Do I have to include anything when I upload it?" asks what sharing requires, unless it asks
  // whether the licence forces the work open (copyleft).
  const asked =
    clause === "redistribute" && frame.polarity === "must" && frame.clauseCue !== COPYLEFT_CUE ? "notices" : clause;
  // "Mistral Large 2411 … under Apache-2.0": the licence the asker names is no version of the family.
  // Only a licence named apart from the model: "deepseek" in "deepseek r1" is the model's own name.
  const licencesNamed = licensed.filter(
    (mention) =>
      mention.kind === "license" &&
      !licensed.some((other) => other.kind !== "license" && other.start < mention.end && mention.start < other.end),
  );
  const versionText =
    subject.kind === "license" || licencesNamed.length === 0
      ? frame.resolvedText
      : withoutNames(frame.resolvedText, licencesNamed);
  return withQuestion(
    text,
    clauseAnswer(knowledge.kb, versionText, toSubject(subject), asked, {
      polarity: frame.polarity,
      situation: frame.situation,
      // The words of the model's name, not every word of the question ("not touching the vision ones").
      modelWords: frame.nameWords.length ? frame.nameWords : frame.sizes,
      ...trainingTarget(knowledge, frame.situation.trainingTarget),
    }),
  );
}

/** "…to fine-tune Llama 2 7B": the model trained with another's outputs, and the licence it carries. */
function trainingTarget(knowledge: Knowledge, name: string | undefined) {
  if (!name) return {};
  const sizes = words(name).filter((word) => SIZE_TOKEN.test(word));
  // "Llama 2 7B" is not the Llama 2 70B we hold: a model whose size differs gives way to its family.
  const named = knowledge.index
    .findMentions(name, { kinds: ["model", "family"] })
    .find(
      (mention) =>
        mention.kind === "family" ||
        sizes.every((size) => words(knowledge.kb.models.get(mention.id)?.displayName ?? "").includes(size)),
    );
  const target = named ? licenceTarget(knowledge.kb, toSubject(named), name) : null;
  // "Our own model", "other LLMs": another model, but not one to name back to the asker.
  const shown =
    named?.kind === "model" ? (knowledge.kb.models.get(named.id)?.displayName ?? null) : (target?.version ?? null);
  return { trainingTarget: { name: shown, licenceId: target?.licence.id ?? null } };
}

/** An answer worked out on the resolved text ("qwen3" for "quen3") shows the question as asked. */
function withQuestion<T extends { question: string }>(question: string, answer: T | null): T | null {
  return answer ? { ...answer, question } : null;
}

/** "What is X": X itself, or a name that is most of X ("what is the gguf format"). */
function definition({ knowledge, text }: Question): AskResult | null {
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
function namedEntry({ knowledge, text, subject, searched, frame }: Question): AskResult | null {
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
function unknownLicensee(question: Question): AskResult | null {
  // "Does the OSAID require the training code?" asks about the definition, not a licensee.
  if (question.frame.osaid) return null;
  return question.clause && asksYesNo(question.text) ? unknown(question, "not-covered") : null;
}

/** No name at all: the full text answers when it matches well and the question is about our subject. */
function fullText(question: Question): AskResult | null {
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
  const asked = words(text)
    .map(canonicalWord)
    .filter((word) => word.length > 1 && !/\d/.test(word) && !index.isStopWord(word));
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

function toSubject(hit: Hit): Subject {
  return { ref: { kind: hit.kind, id: hit.id }, name: hit.name };
}

function entryResult(
  knowledge: Knowledge,
  question: string,
  hit: Hit,
  searched?: Hit[],
  hints: readonly string[] = [],
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
        ? { ...best, point: termPoint(best.term, question, hints) }
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
function unknown(question: Question, reason: UnknownAnswer["reason"], name: string | null = null): UnknownAnswer {
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

/** Whether the gap word is really part of a name the content holds ("phi" inside "philosophy" never is). */
function coveredBy(gap: string, mentions: readonly Mention[]): boolean {
  const key = lookupKey(gap);
  return mentions.some((mention) => lookupKey(mention.name).includes(key));
}

/**
 * A size token ("12b", "70B") chooses among the models of a family named without one: "qwen3 8b" is
 * the 8B model. It never picks an entry on its own.
 */
function preferSized(kb: KnowledgeBase, question: string, hit: Mention | Hit): Hit {
  // A model row named by its generation ("Qwen2.5") but asked about at another size
  // ("qwen2.5-3b") is not that model: its family's registry decides by size.
  if (hit.kind === "model") {
    const model = kb.models.get(hit.id);
    const asked = sizesIn(question).filter((size) => /b$/.test(size));
    const family = model ? kb.families.get(model.familyId) : undefined;
    if (
      model &&
      family?.inRegistry &&
      asked.length > 0 &&
      !asked.some((size) => sizesIn(model.displayName).includes(size))
    )
      return { kind: "family", id: family.id, name: family.name, match: hit.match, score: hit.score };
    return hit;
  }
  if (hit.kind !== "family") return hit;
  const sizes = sizesIn(question);
  if (sizes.length === 0) return hit;
  const family = kb.families.get(hit.id);
  // With a version named ("Llama-3.1-8B"), only a model of that version's licence may be meant.
  const version = family ? versionNamed(family, question) : null;
  const sized = (family?.modelSlugs ?? []).flatMap((slug) => {
    const model = kb.models.get(slug);
    const ofVersion = !version || model?.licenceIds.includes(version.licenseId);
    return model && ofVersion && sizes.some((size) => sizesIn(model.displayName).includes(size)) ? [model] : [];
  });
  return sized.length === 1
    ? { kind: "model", id: sized[0]!.slug, name: sized[0]!.displayName, match: hit.match, score: hit.score }
    : hit;
}

/** Sizes written in a text, decimals kept whole: "1.8B" is 1.8b, never 8b. */
function sizesIn(text: string): string[] {
  return (foldText(text).match(/(?:\d+x)?\d+(?:\.\d+)?[bmkt](?![a-z0-9])|\ba\d+b\b/g) ?? []).filter((size) =>
    SIZE_TOKEN.test(size),
  );
}

/** The share of a question's content words that the content uses somewhere. */
function knownWordShare({ index }: Knowledge, question: string): number {
  const content = words(question)
    .map(canonicalWord)
    .filter((word) => !index.isStopWord(word) && word.length > 1);
  if (content.length === 0) return 0;
  return content.filter((word) => index.knowsWord(word)).length / content.length;
}

/**
 * What a licence question is about: the first named licence, model or family; when the asker wants
 * to relicense ("release my starcoder2 fine-tune under MIT"), the model, not the licence it names.
 */
function subjectOf(knowledge: Knowledge, text: string, frame: Frame, licensed: readonly Mention[]): Hit | null {
  const { kb, index } = knowledge;
  const relicensing = frame.situation.purposes.includes("relicense");
  // "Llama-3.1-Tulu-3-8B": a licence name at the head of a longer model name is part of that name.
  const inName = (mention: Mention) =>
    mention.kind === "license" &&
    licensed.some(
      (other) =>
        other.kind !== "license" &&
        other.start >= mention.start &&
        other.start <= mention.end &&
        other.end > mention.end,
    );
  // "Mistral Large 2411": "mistral" is also an alias of Mistral 7B, but the words after it name
  // another release, so the family decides, by its versions.
  const otherRelease = (mention: Mention) => {
    if (mention.kind !== "model" || mention.match !== "alias") return false;
    const sameSpan = licensed.some(
      (other) => other.kind === "family" && other.start === mention.start && other.end === mention.end,
    );
    const own = new Set(words(kb.models.get(mention.id)?.displayName ?? ""));
    return sameSpan && frame.nameWords.some((word) => !own.has(word));
  };
  const candidates = licensed.filter((mention) => !inName(mention) && !otherRelease(mention));
  const first = (relicensing && candidates.find((mention) => mention.kind !== "license")) || candidates[0];
  if (first) return preferSized(kb, text, generationOf(kb, text, first));
  // "mixtral 8x22b": a glossary word that names a family's models stands for the family.
  for (const mention of frame.mentions) {
    const family = mention.kind === "term" ? familyOfMention(kb, index, mention) : undefined;
    if (family)
      return preferSized(kb, text, {
        kind: "family",
        id: family.id,
        name: family.name,
        match: mention.match,
        score: mention.score,
      });
  }
  return null;
}

/**
 * A data row found by a generation's name ("qwen2.5" is an alias of the site's Qwen 2.5 72B row)
 * stands for the generation, not that size: its family decides, by the registry's releases.
 */
function generationOf(kb: KnowledgeBase, text: string, hit: Mention): Mention {
  if (hit.kind !== "model" || hit.match !== "alias") return hit;
  const model = kb.models.get(hit.id);
  const family = model ? kb.families.get(model.familyId) : undefined;
  if (!model || !family?.inRegistry || sizesIn(text).length > 0 || sizesIn(model.displayName).length === 0) return hit;
  return { ...hit, kind: "family", id: family.id, name: family.name };
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
function bannedUse(frame: Frame): ClauseQuestion | null {
  const banned = frame.situation.purposes.some((purpose) => BANNED_PURPOSES.has(purpose));
  return (frame.polarity === "may" || frame.polarity === "forbids") && banned ? "acceptable-use" : null;
}

/** Purposes some use policies ban: a may-question naming one asks the policy. */
const BANNED_PURPOSES: ReadonlySet<string> = new Set([
  "military",
  "weapons",
  "deception",
  "sexual",
  "critical-infrastructure",
  "automated-decisions",
]);
