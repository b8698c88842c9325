import type { FamilyFile, ModelRow, Project } from "../content/schemas.ts";
import { AliasIndex } from "./alias-index.ts";
import { lookupKey } from "./normalize.ts";

/**
 * Decides which family each `family` slug of the site's data belongs to: a registry id or alias,
 * then the slug without its generation suffix ("qwen3-5" -> "qwen", "kimi-k2" -> "kimi"), then the
 * developer's name among the families' aliases. A slug that matches none becomes a family of its own
 * (a family that exists only in the data, such as "granite").
 */
export class FamilyGrouper {
  readonly aliases = new AliasIndex();
  /** Data slugs that matched no registry family, with the family id they became. */
  readonly ungrouped = new Map<string, string>();

  constructor(families: readonly FamilyFile[]) {
    for (const family of families) this.aliases.add(family.id, [family.id, family.name, ...family.aliases]);
  }

  familyOf(slug: string, developer = ""): string {
    const found =
      this.aliases.get(slug) ??
      this.aliases.get(withoutGeneration(slug)) ??
      (developer ? this.aliases.get(developer) : undefined);
    if (found) return found;
    const own = lookupKey(withoutGeneration(slug)) ? withoutGeneration(slug).toLowerCase() : slug.toLowerCase();
    this.ungrouped.set(slug, own);
    return own;
  }

  familyOfModel(model: ModelRow): string {
    return this.familyOf(model.family, model.developer);
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
