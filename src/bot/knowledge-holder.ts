import type { Knowledge } from "../answers/types.ts";
import { formatIssue } from "../content/issues.ts";
import { loadKnowledge } from "../load/knowledge-loader.ts";

export type ReloadOutcome = { ok: true; summary: string } | { ok: false; errors: string[] };

/**
 * Holds the knowledge the bot serves. A reload loads and validates the new content completely
 * before it replaces the old; on any error the old knowledge keeps serving.
 */
export class KnowledgeHolder {
  constructor(
    private current: Knowledge,
    private contentDir: string | undefined,
    private readonly load: typeof loadKnowledge = loadKnowledge,
  ) {}

  /** Serves knowledge already loaded and validated elsewhere (a synced copy); reloads read its directory. */
  replace(knowledge: Knowledge, contentDir: string | undefined): void {
    this.current = knowledge;
    this.contentDir = contentDir;
  }

  get knowledge(): Knowledge {
    return this.current;
  }

  reload(): ReloadOutcome {
    const loaded = this.load(this.contentDir);
    if (!loaded.knowledge) return { ok: false, errors: loaded.errors.map(formatIssue) };
    this.current = this.current.synced ? { ...loaded.knowledge, synced: this.current.synced } : loaded.knowledge;
    const { kb } = loaded.knowledge;
    return {
      ok: true,
      summary: `${kb.terms.size} terms, ${kb.families.size} families, ${kb.licences.size} licences, ${kb.models.size} models (${loaded.warnings.length} warnings)`,
    };
  }
}
