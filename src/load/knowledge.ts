import type { KnowledgeBase } from "../knowledge/types.ts";
import type { SearchIndex } from "../search/index.ts";

/** What every answer function reads: the joined knowledge and its index. */
export interface Knowledge {
  kb: KnowledgeBase;
  index: SearchIndex;
  /** Set for content synced from a repository: which commit, of when. */
  synced?: { source: string; commit: string; date: string };
}
