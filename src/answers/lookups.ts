import type { EntryKind, KnowledgeBase } from "../knowledge/types.ts";
import { SITE_NAME, siteUrls } from "../knowledge/urls.ts";
import type { Hit } from "../search/index.ts";
import { compareSides } from "./compare-sides.ts";
import {
  distinctLicences,
  familyAnswer,
  licenceAnswer,
  licenceHistoryAnswer,
  modelAnswer,
  termAnswer,
} from "./entries.ts";
import { resolveEntry } from "./resolve-entry.ts";
import { entryLinks, siteCredit } from "./site.ts";
import type {
  CompareAnswer,
  FamilyAnswer,
  HelpAnswer,
  Knowledge,
  LicenceAnswer,
  LicenceHistoryAnswer,
  ModelAnswer,
  NotFoundAnswer,
  TermAnswer,
} from "./types.ts";
import { UserFacingError } from "./user-facing-error.ts";

/** The kinds each lookup serves, in the order a tie is broken. */
export const LOOKUP_KINDS = {
  license: ["license", "family", "model"],
  family: ["family", "model"],
  term: ["term"],
  ask: ["term", "family", "license", "model", "section"],
  compare: ["family", "license"],
} as const satisfies Record<string, readonly EntryKind[]>;

const LOOKED_FOR = {
  license: "licence, family or model",
  family: "model family, lab or model",
  term: "glossary term",
  ask: "entry",
  compare: "family or licence",
} as const;

function notFound(kb: KnowledgeBase, query: string, looked: string, suggestions: readonly Hit[]): NotFoundAnswer {
  return { type: "not-found", query, looked, suggestions: entryLinks(kb, suggestions) };
}

/** `/license`: a licence card, or for a family with several licences its history by version. */
export function answerLicence(
  knowledge: Knowledge,
  query: string,
): LicenceAnswer | LicenceHistoryAnswer | ModelAnswer | NotFoundAnswer {
  const resolution = resolveEntry(knowledge, query, LOOKUP_KINDS.license, (hit) => licenceTarget(knowledge, hit));
  if (resolution.status !== "found") return notFound(knowledge.kb, query, LOOKED_FOR.license, resolution.suggestions);
  const { kind, id } = resolution.hit;
  if (kind === "family") {
    const family = knowledge.kb.families.get(id)!;
    const licences = distinctLicences(knowledge.kb.licences, family);
    if (licences.length === 1) return licenceAnswer(knowledge, licences[0]!.id, null, family)!;
    return licenceHistoryAnswer(knowledge, id)!;
  }
  if (kind === "model") {
    const model = knowledge.kb.models.get(id)!;
    const [licenceId] = model.licenceIds;
    return licenceId ? licenceAnswer(knowledge, licenceId, model)! : modelAnswer(knowledge, id)!;
  }
  return licenceAnswer(knowledge, id)!;
}

/** Where /license sends a hit: a model to its licence, a family with one licence to that licence. */
function licenceTarget({ kb }: Knowledge, hit: Hit): string {
  if (hit.kind === "model") return `license:${kb.models.get(hit.id)?.licenceIds[0] ?? hit.id}`;
  if (hit.kind === "family") {
    const family = kb.families.get(hit.id);
    const ids = new Set(family?.licenses.map((entry) => entry.licenseId));
    return ids.size === 1 ? `license:${[...ids][0]}` : `family:${hit.id}`;
  }
  return `license:${hit.id}`;
}

/** `/family`: a family by its name, lab, alias or one of its models. */
export function answerFamily(knowledge: Knowledge, query: string): FamilyAnswer | NotFoundAnswer {
  const resolution = resolveEntry(knowledge, query, LOOKUP_KINDS.family, (hit) =>
    hit.kind === "model" ? `family:${knowledge.kb.models.get(hit.id)?.familyId}` : `family:${hit.id}`,
  );
  if (resolution.status !== "found") return notFound(knowledge.kb, query, LOOKED_FOR.family, resolution.suggestions);
  const { kind, id } = resolution.hit;
  const familyId = kind === "model" ? knowledge.kb.models.get(id)!.familyId : id;
  return familyAnswer(knowledge, familyId)!;
}

/** `/term`: a glossary entry by its name or alias. */
export function answerTerm(knowledge: Knowledge, query: string): TermAnswer | NotFoundAnswer {
  const resolution = resolveEntry(knowledge, query, LOOKUP_KINDS.term);
  if (resolution.status !== "found") return notFound(knowledge.kb, query, LOOKED_FOR.term, resolution.suggestions);
  return termAnswer(knowledge, resolution.hit.id)!;
}

/** `/compare`: two families or two licences side by side. */
export function answerCompare(knowledge: Knowledge, first: string, second: string): CompareAnswer | NotFoundAnswer {
  const left = resolveEntry(knowledge, first, LOOKUP_KINDS.compare);
  if (left.status !== "found") return notFound(knowledge.kb, first, LOOKED_FOR.compare, left.suggestions);
  const sameKind = [left.hit.kind] as const;
  const right = resolveEntry(knowledge, second, sameKind);
  if (right.status !== "found") {
    const other = resolveEntry(knowledge, second, LOOKUP_KINDS.compare);
    if (other.status === "found") {
      throw new UserFacingError(
        `I can compare two families or two licences, but "${left.hit.name}" is a ${kindWord(left.hit.kind)} and "${other.hit.name}" is a ${kindWord(other.hit.kind)}.`,
      );
    }
    return notFound(knowledge.kb, second, LOOKED_FOR.compare, right.suggestions);
  }
  const side = (kind: string, id: string) =>
    kind === "family" ? familyAnswer(knowledge, id)! : licenceAnswer(knowledge, id)!;
  return compareSides(side(left.hit.kind, left.hit.id), side(right.hit.kind, right.hit.id));
}

function kindWord(kind: EntryKind): string {
  return kind === "license" ? "licence" : kind;
}

export function answerHelp({ kb, synced }: Knowledge): HelpAnswer {
  return {
    type: "help",
    counts: {
      terms: kb.terms.size,
      families: kb.families.size,
      licences: kb.licences.size,
      models: kb.models.size,
      sections: kb.sections.size,
    },
    contentDate: kb.contentDate,
    registryDate: kb.registryDate,
    synced: synced ?? null,
    origin: kb.origin,
    siteName: SITE_NAME,
    siteUrl: siteUrls.home(),
    credit: siteCredit(kb),
  };
}

export { answerAsk } from "./ask.ts";
