import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLED_CONTENT_DIR } from "../load/knowledge-loader.ts";

/**
 * A checkout laid out as the site's repository (`src/content/<collection>`, `data/`), made from the
 * bundled content: what `npm run eval` measures when no real checkout of the site is given.
 */
export function siteShapedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "stackbot-site-shaped-"));
  for (const collection of ["layers", "glossary", "news", "how-llms-work-modules", "self-host-modules"]) {
    const from = join(BUNDLED_CONTENT_DIR, collection);
    if (existsSync(from)) cpSync(from, join(dir, "src", "content", collection), { recursive: true });
  }
  cpSync(join(BUNDLED_CONTENT_DIR, "data"), join(dir, "data"), { recursive: true });
  return dir;
}
