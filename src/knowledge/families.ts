import type { FamilyFile, ModelRow, Project } from "../content/schemas.ts";
import { AliasIndex } from "./alias-index.ts";
import { lookupKey } from "./normalize.ts";

/**
 * Decides which family each `family` slug of the site's data belongs to: a registry id or alias,
 * then the slug without its generation suffix ("qwen3-5" -> "qwen", "kimi-k2" -> "kimi"), then a slug
 * that starts with a family's id ("mistral-large" -> "mistral"). A slug that matches none becomes a
 * family of its own (a family that exists only in the data, such as "granite"): the developer's name
 * is not used, since one lab ships several families (Google: Gemini and Gemma).
 */
export class FamilyGrouper {
  readonly aliases = new AliasIndex();
  /** Data slugs that matched no registry family, with the family id they became. */
  readonly ungrouped = new Map<string, string>();

  private readonly idKeys: { key: string; id: string }[];

  constructor(families: readonly FamilyFile[]) {
    for (const family of families) {
      this.aliases.add(family.id, [family.id, family.name, ...family.aliases, ...family.data_slugs]);
    }
    this.idKeys = families
      .map((family) => ({ key: lookupKey(family.id), id: family.id }))
      .filter(({ key }) => key.length >= 3)
      .sort((a, b) => b.key.length - a.key.length);
  }

  familyOf(slug: string): string {
    const key = lookupKey(slug);
    const found =
      this.aliases.get(slug) ??
      this.aliases.get(withoutGeneration(slug)) ??
      this.idKeys.find((family) => key.startsWith(family.key))?.id;
    if (found) return found;
    const own = lookupKey(withoutGeneration(slug)) ? withoutGeneration(slug).toLowerCase() : slug.toLowerCase();
    this.ungrouped.set(slug, own);
    return own;
  }

  familyOfModel(model: ModelRow): string {
    return this.familyOf(model.family);
  }

  familyOfProject(project: Project): string | undefined {
    return this.aliases.get(project.slug) ?? this.aliases.get(project.name);
  }
}

/** "qwen3-5" -> "qwen", "llama-3-1" -> "llama", "kimi-k2" -> "kimi", "glm-4.5" -> "glm". */
export function withoutGeneration(slug: string): string {
  const stripped = slug.replace(/(?:[-_. ][a-z]?\d[a-z\d.]*|\d[a-z\d.]*)+$/i, "");
  return stripped.length >= 2 ? stripped : slug;
}
