import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BUNDLED_CONTENT_DIR } from "../../src/load/knowledge-loader.ts";

/** A throwaway copy of the bundled content that a test may break. */
export function copyOfContent(): { dir: string; write: (path: string, text: string) => void; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "stackbot-content-"));
  cpSync(BUNDLED_CONTENT_DIR, dir, { recursive: true });
  return {
    dir,
    write: (path, text) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
