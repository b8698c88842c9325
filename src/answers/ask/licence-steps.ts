import { foldText, words } from "../../knowledge/normalize.ts";
import { type Hit, SIZE_TOKEN } from "../../search/index.ts";
import { withoutNames } from "../../understand/names.ts";
import { asksWhichLicence, asksYesNo } from "../../understand/wording.ts";
import { clauseAnswer, licenceOfAnswer, licenceTarget } from "../clause.ts";
import type { AskResult, Knowledge } from "../types.ts";
import { bannedUse, COPYLEFT_CUE, type Question } from "./question.ts";
import { preferSized, toSubject } from "./subject.ts";

/**
 * "What licence is X under"; a question that only ends in "licence?" unless it asks about a clause;
 * and "is falcon 40b apache?", a model or family named beside a licence.
 */
export function whichLicence(question: Question): AskResult | null {
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

export function clauseVerdict({
  knowledge,
  text,
  subject: named,
  clause,
  frame,
  licensed,
}: Question): AskResult | null {
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
      // "Gemma 3 for fully automated loan approvals?": a banned use asked plainly is a may-question.
      polarity: frame.polarity ?? (bannedUse(frame) ? "may" : null),
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
