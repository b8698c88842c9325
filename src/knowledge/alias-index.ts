import { lookupKey } from "./normalize.ts";

/**
 * Maps normalised names and aliases of one kind of entry to ids, and remembers every key that two
 * entries claim, so content:check can report it.
 */
export class AliasIndex {
  private readonly owners = new Map<string, string>();
  readonly conflicts: { alias: string; ids: [string, string] }[] = [];

  add(id: string, names: readonly string[]): void {
    for (const name of names) {
      const key = lookupKey(name);
      if (!key) continue;
      const owner = this.owners.get(key);
      if (owner === undefined) this.owners.set(key, id);
      else if (owner !== id) this.conflicts.push({ alias: name, ids: [owner, id] });
    }
  }

  get(text: string): string | undefined {
    return this.owners.get(lookupKey(text));
  }

  /** Every key and its owner: used to find aliases contained in longer free text. */
  entries(): IterableIterator<[string, string]> {
    return this.owners.entries();
  }
}
