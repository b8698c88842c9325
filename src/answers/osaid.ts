import type { Family, KnowledgeBase } from "../knowledge/types.ts";
import { entryUrl } from "../knowledge/urls.ts";
import { licenceTarget } from "./clause.ts";
import { siteCredit } from "./site.ts";
import type { OsaidAnswer, Subject } from "./types.ts";

/**
 * The OSI's Open Source AI Definition (OSAID 1.0) asks for more than an OSI-approved licence: the
 * weights and the code under OSI-approved terms, and data information detailed enough to rebuild a
 * substantially equivalent system. The family's release facts decide it, not its licence alone.
 */
export function osaidAnswer(
  kb: KnowledgeBase,
  question: string,
  subject: Subject,
  otherFamilies: readonly string[] = [],
): OsaidAnswer | null {
  const target = licenceTarget(kb, subject, question);
  const family: Family | undefined =
    target?.family ??
    (subject.ref.kind === "family"
      ? kb.families.get(subject.ref.id)
      : kb.families.get(kb.models.get(subject.ref.id)?.familyId ?? ""));
  if (!family) return null;
  const licence = target?.licence ?? null;
  const weights = Boolean(licence?.osi_approved) && family.openness?.weights === "yes";
  const code = family.openness?.training_code ?? null;
  const data = family.openness?.data ?? null;
  return {
    type: "osaid",
    question,
    family,
    licence,
    checks: { weights, code, data },
    meets: weights && code === "yes" && data === "yes",
    validated: validatedSystem(kb, family.id),
    alsoValidated: otherFamilies.filter((id) => id !== family.id).flatMap((id) => validatedSystem(kb, id) ?? []),
    url: entryUrl(kb, { kind: "family", id: family.id }),
    credit: siteCredit(kb),
  };
}

/** "Did Llama 2 pass the OSI's check?": the OSI's own validation of a system of this family. */
function validatedSystem(kb: KnowledgeBase, familyId: string): OsaidAnswer["validated"] {
  const validation = kb.osaid?.validation;
  const result = validation?.results.find((each) => each.family === familyId);
  return validation && result ? { year: validation.year, name: result.name, verdict: result.verdict } : null;
}
