import { join } from "node:path";
import { loadLanguageFiles } from "../content/cues.ts";
import { PROJECT_ROOT } from "../content/project-root.ts";
import type { Cue, CueGroup } from "../content/schemas.ts";
import { foldText } from "../knowledge/normalize.ts";

export const CUES_DIR = join(PROJECT_ROOT, "content", "cues");

export interface CompiledCue extends Cue {
  group: CueGroup;
  regexes: RegExp[];
}

export interface CueMatch {
  cue: CompiledCue;
  match: RegExpExecArray;
}

/**
 * The cue files, compiled: which meanings a question's wording signals. Every lookup takes the
 * question as typed and folds it once (lower case, no accents), as the patterns expect.
 */
export class Vocabulary {
  readonly cues: readonly CompiledCue[];
  /** Region code (EU, EEA) to its member countries. */
  readonly regions: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly byGroup = new Map<CueGroup, CompiledCue[]>();

  constructor(cuesDir: string = CUES_DIR) {
    const files = loadLanguageFiles(cuesDir);
    this.cues = files.cues.flatMap((file) =>
      file.cues.map((cue) => ({
        ...cue,
        group: file.group,
        regexes: cue.patterns.map((pattern) => new RegExp(pattern)),
      })),
    );
    for (const cue of this.cues) {
      const group = this.byGroup.get(cue.group) ?? [];
      group.push(cue);
      this.byGroup.set(cue.group, group);
    }
    // Highest priority first; ties keep file order.
    for (const group of this.byGroup.values()) group.sort((a, b) => b.priority - a.priority);
    this.regions = new Map(Object.entries(files.regions.regions).map(([code, members]) => [code, new Set(members)]));
  }

  /** Every cue of a group that matches, highest priority first. */
  matches(group: CueGroup, text: string): CueMatch[] {
    const folded = folding(text);
    const found: CueMatch[] = [];
    for (const cue of this.byGroup.get(group) ?? []) {
      const match = firstMatch(cue, folded);
      if (match) found.push({ cue, match });
    }
    return found;
  }

  /** The meaning of the highest-priority matching cue of a group, or null. */
  first(group: CueGroup, text: string): string | null {
    return this.matches(group, text)[0]?.cue.means ?? null;
  }

  /**
   * The meaning of the cue that matches earliest in the text, priority breaking ties: "are we
   * allowed to serve them, or does the EU rule block it?" is answered as first asked.
   */
  earliest(group: CueGroup, text: string): string | null {
    const found = this.matches(group, text);
    if (found.length === 0) return null;
    const start = Math.min(...found.map(({ match }) => match.index));
    return found.find(({ match }) => match.index === start)!.cue.means;
  }

  /** All meanings a group's matching cues signal, without repeats. */
  all(group: CueGroup, text: string): string[] {
    return [...new Set(this.matches(group, text).map((found) => found.cue.means))];
  }

  has(group: CueGroup, means: string, text: string): boolean {
    return this.capture(group, means, text) !== null;
  }

  /** The first match of the cues that signal one meaning, with its groups. */
  capture(group: CueGroup, means: string, text: string): RegExpExecArray | null {
    const folded = folding(text);
    for (const cue of this.byGroup.get(group) ?? []) {
      if (cue.means !== means) continue;
      const match = firstMatch(cue, folded);
      if (match) return match;
    }
    return null;
  }

  /** Whether a cue, on its own, matches a text: what the cue tests check. */
  static cueMatches(cue: CompiledCue, text: string): boolean {
    return firstMatch(cue, foldText(text)) !== null;
  }
}

/** One question is folded once however many cue groups read it: the last few are kept. */
const folded = new Map<string, string>();
const FOLDED_KEPT = 64;

function folding(text: string): string {
  let result = folded.get(text);
  if (result === undefined) {
    if (folded.size >= FOLDED_KEPT) folded.clear();
    result = foldText(text);
    folded.set(text, result);
  }
  return result;
}

function firstMatch(cue: CompiledCue, folded: string): RegExpExecArray | null {
  for (const regex of cue.regexes) {
    const match = regex.exec(folded);
    if (match) return match;
  }
  return null;
}

let bundled: Vocabulary | null = null;

/** The bundled vocabulary, read once. */
export function vocabulary(): Vocabulary {
  bundled ??= new Vocabulary();
  return bundled;
}
