import { strictestTier } from "../knowledge/tiers.ts";
import type { EntryRef, Family, KnowledgeBase, Licence, Model, Term } from "../knowledge/types.ts";
import { entryUrl } from "../knowledge/urls.ts";
import { familyTiers, familyVersions } from "./family-licences.ts";
import { siteCredit } from "./site.ts";
import type {
  EntryAnswer,
  FamilyAnswer,
  Knowledge,
  LicenceAnswer,
  LicenceHistoryAnswer,
  ModelAnswer,
  SectionAnswer,
  TermAnswer,
} from "./types.ts";

/** Builders from an entry id to the full answer about it. Each returns null for an unknown id. */

export function licenceAnswer(
  { kb }: Knowledge,
  id: string,
  via: Model | null = null,
  viaFamily: Family | null = null,
): LicenceAnswer | null {
  const licence = kb.licences.get(id);
  if (!licence) return null;
  return {
    type: "license",
    licence,
    via,
    viaFamily,
    previous: licence.previous ? (kb.licences.get(licence.previous) ?? null) : null,
    families: present(licence.familyIds.map((familyId) => kb.families.get(familyId))),
    models: present(licence.modelSlugs.map((slug) => kb.models.get(slug))),
    url: entryUrl(kb, { kind: "license", id }),
    credit: siteCredit(kb),
  };
}

export function licenceHistoryAnswer({ kb }: Knowledge, familyId: string): LicenceHistoryAnswer | null {
  const family = kb.families.get(familyId);
  if (!family) return null;
  const entries = family.licenses.flatMap((entry) => {
    const licence = kb.licences.get(entry.licenseId);
    return licence
      ? [
          {
            version: entry.version,
            released: entry.released,
            models: entry.models,
            note: entry.note,
            licence,
          },
        ]
      : [];
  });
  return {
    type: "license-history",
    family,
    entries,
    strictest: strictestTier(entries.map((entry) => entry.licence.tier)),
    url: entryUrl(kb, { kind: "family", id: familyId }),
    credit: siteCredit(kb),
  };
}

export function familyAnswer({ kb }: Knowledge, id: string): FamilyAnswer | null {
  const family = kb.families.get(id);
  if (!family) return null;
  return {
    type: "family",
    family,
    licences: distinctLicences(kb.licences, family),
    models: present(family.modelSlugs.map((slug) => kb.models.get(slug))).map((model) => ({
      model,
      licence: kb.licences.get(model.licenceIds[0] ?? "") ?? null,
    })),
    tiers: familyTiers(family, kb.licences),
    versions: familyVersions(family, kb.licences),
    url: entryUrl(kb, { kind: "family", id }),
    credit: siteCredit(kb),
  };
}

export function termAnswer({ kb }: Knowledge, slug: string): TermAnswer | null {
  const term = kb.terms.get(slug);
  if (!term) return null;
  return {
    type: "term",
    term,
    layerTitle: kb.layers.get(term.primaryLayer)?.title ?? term.primaryLayer,
    secondaryLayerTitles: term.secondaryLayers.map((layer) => kb.layers.get(layer)?.title ?? layer),
    related: present(term.related.map((relatedSlug) => kb.terms.get(relatedSlug))) as Term[],
    lessons: lessonPages(kb, term),
    url: entryUrl(kb, { kind: "term", id: slug }),
    credit: siteCredit(kb),
  };
}

export function modelAnswer({ kb }: Knowledge, slug: string): ModelAnswer | null {
  const model = kb.models.get(slug);
  if (!model) return null;
  return {
    type: "model",
    model,
    family: kb.families.get(model.familyId) ?? null,
    licences: present(model.licenceIds.map((id) => kb.licences.get(id))),
    url: entryUrl(kb, { kind: "model", id: slug }),
    credit: siteCredit(kb),
  };
}

export function sectionAnswer({ kb }: Knowledge, id: string): SectionAnswer | null {
  const section = kb.sections.get(id);
  return section
    ? { type: "section", section, url: entryUrl(kb, { kind: "section", id }), credit: siteCredit(kb) }
    : null;
}

/** The lessons that use a term, one per page: a term's anchors on one page are one lesson to read. */
function lessonPages({ sections }: KnowledgeBase, term: Term): TermAnswer["lessons"] {
  const lessons = term.lessons.flatMap((id) => sections.get(id) ?? []);
  return [...new Map(lessons.map((lesson) => [lesson.url.split("#")[0], lesson])).values()].map((lesson) => ({
    title: lesson.layerTitle,
    url: lesson.url,
  }));
}

/** The natural answer for any entry, as /ask gives it. */
export function entryAnswer(knowledge: Knowledge, ref: EntryRef): EntryAnswer | null {
  switch (ref.kind) {
    case "license":
      return licenceAnswer(knowledge, ref.id);
    case "family":
      return familyAnswer(knowledge, ref.id);
    case "term":
      return termAnswer(knowledge, ref.id);
    case "model":
      return modelAnswer(knowledge, ref.id);
    case "section":
      return sectionAnswer(knowledge, ref.id);
  }
}

export function distinctLicences(licences: ReadonlyMap<string, Licence>, family: Family): Licence[] {
  const ids = [...new Set(family.licenses.map((entry) => entry.licenseId))];
  return present(ids.map((id) => licences.get(id)));
}

function present<T>(values: (T | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined);
}
