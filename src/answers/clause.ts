import type { ClauseQuestion } from "../content/schemas.ts";
import type { Family, KnowledgeBase, Licence } from "../knowledge/types.ts";
import type { ClauseAnswer, ClauseFact, LicenceOfAnswer, Subject, VerdictSpan } from "./types.ts";

/** The licence that decides a question about a subject, and the family and version it came through. */
export interface LicenceTarget {
  licence: Licence;
  family: Family | null;
  /** Set when a family was named without a version: the version answered (its newest). */
  newestOf: string | null;
}

/**
 * Where a question about an entry is decided: a licence is itself; a model has its own licence; a
 * family named without a version answers with its newest version's licence.
 */
export function licenceTarget(kb: KnowledgeBase, subject: Subject): LicenceTarget | null {
  const { kind, id } = subject.ref;
  if (kind === "license") {
    const licence = kb.licences.get(id);
    if (!licence) return null;
    const family = licence.familyIds.length === 1 ? (kb.families.get(licence.familyIds[0]!) ?? null) : null;
    return { licence, family, newestOf: null };
  }
  if (kind === "model") {
    const model = kb.models.get(id);
    const licence = model?.licenceIds[0] ? kb.licences.get(model.licenceIds[0]) : undefined;
    if (!model || !licence) return null;
    return { licence, family: kb.families.get(model.familyId) ?? null, newestOf: null };
  }
  if (kind === "family") {
    const family = kb.families.get(id);
    // A family with weights is asked about its weights: its newest downloadable release, not an API-only one.
    const downloadable = family?.licenses.find((entry) => kb.licences.get(entry.licenseId)?.tier !== "proprietary");
    const newest = family?.tier === "proprietary" ? family.licenses[0] : (downloadable ?? family?.licenses[0]);
    const licence = newest ? kb.licences.get(newest.licenseId) : undefined;
    if (!family || !newest || !licence) return null;
    const several = new Set(family.licenses.map((entry) => entry.licenseId)).size > 1;
    return { licence, family, newestOf: several ? newest.version : null };
  }
  return null;
}

export function clauseFact(licence: Licence, clause: ClauseQuestion): ClauseFact {
  const answer = licence.answers[clause];
  return {
    clause,
    verdict: answer.verdict,
    text: answer.text,
    figure: answer.figure ?? null,
    measuredOn: answer.measured_on ?? null,
    source: answer.source ?? licence.source,
    checked: answer.checked ?? licence.checked,
  };
}

/**
 * How a family's versions differ on one clause, oldest first, consecutive versions with the same
 * verdict grouped: "Llama 2 and 3: no; 3.1 onwards: yes, with conditions". Empty when they agree.
 */
export function verdictSpans(kb: KnowledgeBase, family: Family | null, clause: ClauseQuestion): VerdictSpan[] {
  if (!family) return [];
  const spans: VerdictSpan[] = [];
  for (const entry of [...family.licenses].reverse()) {
    const licence = kb.licences.get(entry.licenseId);
    if (!licence) continue;
    const verdict = licence.answers[clause].verdict;
    const last = spans.at(-1);
    if (last && last.verdict === verdict) last.versions.push(entry.version);
    else spans.push({ versions: [entry.version], verdict, licenceId: licence.id });
  }
  return spans.length > 1 ? spans : [];
}

export function clauseAnswer(
  kb: KnowledgeBase,
  question: string,
  subject: Subject,
  clause: ClauseQuestion,
): ClauseAnswer | null {
  const target = licenceTarget(kb, subject);
  if (!target) return null;
  return {
    type: "clause",
    question,
    subject,
    licence: target.licence,
    fact: clauseFact(target.licence, clause),
    family: target.family,
    newestOf: target.newestOf,
    spans: subject.ref.kind === "family" ? verdictSpans(kb, target.family, clause) : [],
  };
}

export function licenceOfAnswer(kb: KnowledgeBase, question: string, subject: Subject): LicenceOfAnswer | null {
  const target = licenceTarget(kb, subject);
  if (!target) return null;
  const otherVersions =
    subject.ref.kind === "family" && target.family
      ? target.family.licenses.flatMap((entry) => {
          const licence = kb.licences.get(entry.licenseId);
          return licence && licence.id !== target.licence.id ? [{ version: entry.version, licence }] : [];
        })
      : [];
  return { type: "licence-of", question, subject, ...target, otherVersions };
}
