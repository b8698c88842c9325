import { foldText } from "../../knowledge/normalize.ts";
import { asksForList, asksYesNo, namesPluralTarget } from "../../understand/wording.ts";
import { answerList, familiesUnder, familyVersionsList, licencesBanning, modelsUnder } from "../lists.ts";
import type { AskResult } from "../types.ts";
import { BANNED_PURPOSES, type Question } from "./question.ts";

/**
 * "Which models …", "osi approved licences?", "which mistral models are apache licensed": a list from
 * the structured data. A plural without a list word still asks for one, unless it asks how or why.
 * One family named: its releases by version; a licence named: the models under it.
 */
export function list(question: Question): AskResult | null {
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
