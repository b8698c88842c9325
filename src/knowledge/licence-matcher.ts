import type { LicenceFile } from "../content/schemas.ts";
import { AliasIndex } from "./alias-index.ts";
import { canonicalWord, words } from "./normalize.ts";

/**
 * Matches the free-text licence field of a project or model ("Apache 2.0", "Llama 3.1 Community
 * License Agreement", "Apache-2.0 (Qwen3); Qwen License for 72B") to registry licence ids.
 */
export class LicenceMatcher {
  /** Alias keys, longest first, for finding aliases inside longer text. */
  private readonly keys: { key: string; id: string }[];

  constructor(private readonly aliases: AliasIndex) {
    // Very short keys ("cc") would match inside unrelated word sequences; "mit" is the shortest kept.
    this.keys = [...aliases.entries()]
      .filter(([key]) => key.length >= 3)
      .map(([key, id]) => ({ key, id }))
      .sort((a, b) => b.key.length - a.key.length);
  }

  /** A matcher over every name a registry licence answers to: id, name, short name, SPDX and Hub ids, aliases. */
  static forLicences(licences: readonly LicenceFile[]): LicenceMatcher {
    const aliases = new AliasIndex();
    for (const licence of licences) {
      const names = [
        licence.id,
        licence.name,
        licence.short_name,
        licence.spdx,
        licence.hf_id === "other" ? null : licence.hf_id,
      ];
      aliases.add(licence.id, [...names.filter((name): name is string => Boolean(name)), ...licence.aliases]);
    }
    return new LicenceMatcher(aliases);
  }

  /** Aliases two licences both claim. */
  get conflicts(): AliasIndex["conflicts"] {
    return this.aliases.conflicts;
  }

  match(text: string): string[] {
    const whole = this.aliases.get(text);
    if (whole) return [whole];
    const ids = new Set<string>();
    for (const part of text.split(/;|\/|\+|,|\bor\b|\band\b|\bfor\b/i)) {
      const direct = this.aliases.get(part) ?? this.aliases.get(stripNotes(part));
      if (direct) ids.add(direct);
      // Notes in parentheses may name another licence: "Proprietary (gpt-oss: Apache 2.0)".
      for (const id of this.contained(part)) ids.add(id);
    }
    return [...ids];
  }

  /** Aliases that appear as whole, consecutive words in the text, longest first, without overlap. */
  private contained(text: string): string[] {
    const tokens = words(text).map(canonicalWord);
    const used = new Array<boolean>(tokens.length).fill(false);
    const found: string[] = [];
    for (const { key, id } of this.keys) {
      for (let start = 0; start < tokens.length; start++) {
        let joined = "";
        for (let end = start; end < tokens.length && joined.length < key.length; end++) {
          joined += tokens[end];
          if (joined === key && !used.slice(start, end + 1).some(Boolean)) {
            for (let i = start; i <= end; i++) used[i] = true;
            found.push(id);
          }
        }
      }
    }
    return found;
  }
}

function stripNotes(text: string): string {
  return text
    .replace(/\([^)]*\)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
