import type { ContentConfig } from "../config.ts";
import { ContentSync } from "./content-sync.ts";

/** Where the content comes from, as every entry point resolves it. */
export interface ContentResolution {
  /** The directory to load; undefined means the bundled `content/`. */
  dir: string | undefined;
  /** Set when CONTENT_SOURCE names a repository to sync from. */
  sync: ContentSync | null;
}

/**
 * One rule for the bot, the terminal preview and content:check: CONTENT_DIR when set; else the
 * synced copy of CONTENT_SOURCE (once one exists); else the bundled content.
 */
export function resolveContent(
  config: Pick<ContentConfig, "CONTENT_DIR" | "CONTENT_SOURCE" | "DATA_DIR">,
): ContentResolution {
  if (config.CONTENT_DIR) return { dir: config.CONTENT_DIR, sync: null };
  if (!config.CONTENT_SOURCE) return { dir: undefined, sync: null };
  const sync = new ContentSync(config.CONTENT_SOURCE, config.DATA_DIR);
  return { dir: sync.current()?.dir, sync };
}
