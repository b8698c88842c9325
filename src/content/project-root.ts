import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's root: the nearest folder above this file that holds package.json. The same code
 * runs from `src/` (tsx, tests) and from the compiled `dist/src/` (npm start), so a fixed number of
 * `../` would be wrong in one of them.
 */
function findProjectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "package.json")) || !existsSync(join(folder, "content"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error("Stackbot: cannot find the project root (package.json beside content/)");
    folder = parent;
  }
  return folder;
}

export const PROJECT_ROOT = findProjectRoot();
