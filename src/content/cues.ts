import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load as parseYaml } from "js-yaml";
import { type CueFile, cueFile, type RegionsFile, regionsFile } from "./schemas.ts";

/**
 * The language the bot reads questions with: cue files (`content/cues/*.yaml`) and the region list.
 * They are the project's own, whatever content is served, so they always come from the bundled
 * folder. A file that fails its schema throws: the bot must not start half-understanding.
 */
export interface LanguageFiles {
  cues: CueFile[];
  regions: RegionsFile;
}

const REGIONS_FILE = "regions.yaml";

export function loadLanguageFiles(cuesDir: string): LanguageFiles {
  const files = readdirSync(cuesDir)
    .filter((name) => name.endsWith(".yaml"))
    .sort();
  const cues: CueFile[] = [];
  let regions: RegionsFile | null = null;
  for (const name of files) {
    const raw = parseYaml(readFileSync(join(cuesDir, name), "utf8"));
    const schema = name === REGIONS_FILE ? regionsFile : cueFile;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(`${join(cuesDir, name)}: ${first?.path.join(".") ?? ""} ${first?.message ?? "invalid"}`);
    }
    if (name === REGIONS_FILE) regions = parsed.data as RegionsFile;
    else cues.push(parsed.data as CueFile);
  }
  if (!regions) throw new Error(`${cuesDir}: ${REGIONS_FILE} is missing`);
  return { cues, regions };
}
