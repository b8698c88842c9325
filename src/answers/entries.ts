import type { EntryRef, Family, Licence, Model, Term } from "../knowledge/types.ts";
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
  return { type: "license-history", family, entries };
}

export function familyAnswer({ kb }: Knowledge, id: string): FamilyAnswer | null {
  const family = kb.families.get(id);
  if (!family) return null;
  return {
    type: "family",
    family,
    licences: distinctLicences(kb.licences, family),
    models: present(family.modelSlugs.map((slug) => kb.models.get(slug))),
  };
}

export function termAnswer({ kb }: Knowledge, slug: string): TermAnswer | null {
  const term = kb.terms.get(slug);
  if (!term) return null;
  return {
    type: "term",
    term,
    layerTitle: kb.layers.get(term.primaryLayer)?.title ?? term.primaryLayer,
    related: present(term.related.map((relatedSlug) => kb.terms.get(relatedSlug))) as Term[],
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
  };
}

export function sectionAnswer({ kb }: Knowledge, id: string): SectionAnswer | null {
  const section = kb.sections.get(id);
  return section ? { type: "section", section } : null;
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
