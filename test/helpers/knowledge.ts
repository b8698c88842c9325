import type { Knowledge } from "../../src/answers/types.ts";
import { loadKnowledge } from "../../src/load/knowledge-loader.ts";

let cached: Knowledge | undefined;

/** The bundled content, loaded once per test file. */
export function bundledKnowledge(): Knowledge {
  if (!cached) {
    const loaded = loadKnowledge();
    if (!loaded.knowledge) throw new Error(`bundled content has errors: ${JSON.stringify(loaded.errors)}`);
    cached = loaded.knowledge;
  }
  return cached;
}
