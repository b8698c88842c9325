import MiniSearch, { type SearchResult } from "minisearch";
import { canonicalWord, lookupKey, words } from "../knowledge/normalize.ts";
import type { EntryKind, EntryRef, KnowledgeBase } from "../knowledge/types.ts";
import { documentsOf, type SearchDocument } from "./documents.ts";
import { allowedEdits, editDistanceWithin } from "./edit-distance.ts";
import { INDEX_CACHE_VERSION, indexKey, readStoredIndex, writeStoredIndex } from "./index-cache.ts";
import { uniqueBy } from "./unique-by.ts";

export type MatchKind = "name" | "alias" | "fuzzy" | "prefix" | "search";

/** An entry named inside a longer text, with the words it covers (token positions, end exclusive). */
export interface Mention extends Hit {
  start: number;
  end: number;
}

/** "12b", "70B", "8x7b", "a22b", "1.5t": sizes say which model of a family, never which family. */
export const SIZE_TOKEN = /^(?:\d+x)?\d+(?:\.\d+)?[bmkt]$|^a\d+b$|^e\d+b$/;
/** A typo is one edit: a wrong, missing or extra letter, or two neighbours swapped. */
const TYPO_EDITS = 1;
/** The most words one name spans ("meta llama 3 community license agreement"). */
const MAX_NAME_WORDS = 7;
/** Typo matching looks at runs of at most this many words. */
const MAX_FUZZY_WORDS = 3;

export interface Hit extends EntryRef {
  name: string;
  match: MatchKind;
  score: number;
}

/** How many words' entry sets `documentsUsing` keeps before starting afresh. */
const ENTRIES_USING_KEPT = 5000;

/** How much a word added for the asker's word counts, against 1 for a word they typed. */
const HINT_WEIGHT = 0.4;

export interface SearchOptions {
  kinds: readonly EntryKind[];
  limit?: number;
}

// Question words carry no meaning for ranking; the site's vocabulary never depends on them.
const STOP_WORDS = new Set(
  "a an and are as at be by can do does for from how i in is it me of on or that the this to was what when where which who why will with you your about tell explain mean means".split(
    " ",
  ),
);

/** The smallest word length that may match with one typo: shorter words ("moe") must match exactly. */
const FUZZY_MIN_LENGTH = 5;
/** Long words may carry a swapped pair of letters ("tokenzier"), which is two edits. */
const LONG_WORD = 8;

const FIELD_BOOST = { name: 4, aliases: 3, summary: 1.5, body: 1 };
const PROSE_BOOST = { name: 2, aliases: 1.5, summary: 1.5, body: 1.5 };

interface KeyEntry {
  key: string;
  doc: number;
  match: "name" | "alias";
}

/**
 * One index over every kind of entry: exact names and aliases first, then MiniSearch with field
 * boosts, prefix search and length-gated fuzzy matching.
 */
export class SearchIndex {
  private readonly docs: SearchDocument[];
  private readonly names: MiniSearch<{ id: number; name: string; aliases: string }>;
  private readonly mini: MiniSearch<{
    id: number;
    name: string;
    aliases: string;
    summary: string;
    body: string;
  }>;
  private readonly exactKeys = new Map<string, KeyEntry[]>();
  /**
   * Every name and alias key of four letters or more under itself and each of its one-letter
   * deletions: two strings one edit apart (a swap included) share an entry here, so a typo is found
   * by a few map lookups instead of a scan of every name.
   */
  private readonly deletions = new Map<string, KeyEntry[]>();
  /** Every word the documents use: a word people type that is in here is a word, not a typo. */
  private readonly vocabulary = new Set<string>();
  private readonly docIndex = new Map<string, number>();
  /** Sorted by key, for prefix lookups while the user types. */
  private readonly sortedKeys: KeyEntry[];
  /** Autocomplete answers by kinds, limit and typed key, least recently used first. */
  private readonly recentSuggestions = new Map<string, Hit[]>();
  private readonly entriesUsing = new Map<string, ReadonlySet<string>>();

  /**
   * @param indexFile where a built index is kept between starts (null: always build). The file is
   *   reused only for exactly the same documents.
   */
  constructor(
    readonly kb: KnowledgeBase,
    indexFile: string | null = null,
  ) {
    this.docs = documentsOf(kb);
    for (const [index, doc] of this.docs.entries()) this.docIndex.set(`${doc.kind}:${doc.id}`, index);
    let indexing = false;
    const textOptions = {
      fields: ["name", "aliases", "summary", "body"],
      tokenize: (text: string) => words(text),
      processTerm: (term: string) => {
        if (STOP_WORDS.has(term)) return null;
        const word = canonicalWord(term);
        // While the documents are indexed, every word they use is noted: a typed word found here is
        // a real word, not a typo of a name.
        if (indexing) this.vocabulary.add(word);
        return word;
      },
    };
    // Autocomplete matches what people type, names and aliases, in a far smaller vocabulary than the bodies.
    const nameOptions = {
      fields: ["name", "aliases"],
      tokenize: (text: string) => words(text),
      processTerm: (term: string) => canonicalWord(term),
    };
    const rows = this.docs.map((doc, id) => ({
      id,
      name: doc.name,
      aliases: [...doc.names, ...doc.aliases].join(" ; "),
      summary: doc.summary,
      body: doc.body,
    }));
    const key = indexKey(rows);
    const stored = readStoredIndex(indexFile, key);
    if (stored) {
      this.mini = MiniSearch.loadJSON(stored.text, textOptions);
      this.names = MiniSearch.loadJSON(stored.names, nameOptions);
      for (const word of stored.vocabulary) this.vocabulary.add(word);
    } else {
      this.mini = new MiniSearch(textOptions);
      indexing = true;
      this.mini.addAll(rows);
      indexing = false;
      this.names = new MiniSearch(nameOptions);
      this.names.addAll(rows);
      writeStoredIndex(indexFile, {
        version: INDEX_CACHE_VERSION,
        key,
        text: JSON.stringify(this.mini),
        names: JSON.stringify(this.names),
        vocabulary: [...this.vocabulary],
      });
    }
    const keys: KeyEntry[] = [];
    this.docs.forEach((doc, index) => {
      const seen = new Set<string>();
      for (const [names, match] of [
        [doc.names, "name"],
        [doc.aliases, "alias"],
      ] as const) {
        for (const name of names) {
          const key = lookupKey(name);
          if (!key || seen.has(key)) continue;
          seen.add(key);
          const entry = { key, doc: index, match };
          keys.push(entry);
          this.exactKeys.set(key, [...(this.exactKeys.get(key) ?? []), entry]);
        }
      }
    });
    for (const entry of keys) {
      if (allowedEdits(entry.key.length) === 0) continue;
      for (const variant of withOneDeletion(entry.key)) {
        const list = this.deletions.get(variant);
        if (list) list.push(entry);
        else this.deletions.set(variant, [entry]);
      }
    }
    this.sortedKeys = keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  get size(): number {
    return this.docs.length;
  }

  document(ref: EntryRef): SearchDocument | undefined {
    const index = this.docIndex.get(`${ref.kind}:${ref.id}`);
    return index === undefined ? undefined : this.docs[index];
  }

  /**
   * The entries whose id, name or alias equals the query (after normalisation), names before
   * aliases, then in the order of `kinds`.
   */
  exact(query: string, { kinds }: SearchOptions): Hit[] {
    const entries = this.exactKeys.get(lookupKey(query)) ?? [];
    return entries
      .filter((entry) => kinds.includes(this.docs[entry.doc]!.kind))
      .sort(
        (a, b) =>
          rankOf(a.match) - rankOf(b.match) || kindRank(this.docs[a.doc]!, kinds) - kindRank(this.docs[b.doc]!, kinds),
      )
      .map((entry) => this.hit(entry.doc, entry.match, entry.match === "name" ? 1000 : 900));
  }

  /**
   * Entries named inside a longer text ("is **claude** open weights", "can I ship **quen** 3"),
   * best first: a name before an alias before a typo, then the longer name ("llama 3.1" over
   * "llama"), then the more specific kind (a model over the family whose alias it shares).
   * Typos are matched against names and aliases only, and only for words the content never uses.
   */
  findMentions(text: string, { kinds }: SearchOptions): Mention[] {
    const tokens = words(text).map(canonicalWord);
    const found: { mention: Mention; length: number; rank: number; specificity: number }[] = [];
    const add = (entry: KeyEntry, match: "name" | "alias" | "fuzzy", start: number, end: number, length: number) => {
      const doc = this.docs[entry.doc]!;
      if (!kinds.includes(doc.kind)) return;
      const typoOfAlias = match === "fuzzy" && entry.match === "alias";
      const score = match === "name" ? 800 : match === "alias" ? 700 : typoOfAlias ? 550 : 600;
      found.push({
        mention: { ...this.hit(entry.doc, match, score), start, end },
        length,
        // A typo of a name ("gema" for Gemma) before a typo of someone's alias.
        rank: MATCH_RANK[match] + (typoOfAlias ? 1 : 0),
        specificity: SPECIFICITY[doc.kind],
      });
    };
    for (let start = 0; start < tokens.length; start++) {
      if (STOP_WORDS.has(tokens[start]!)) continue;
      let key = "";
      let typed = false;
      for (let end = start; end < Math.min(tokens.length, start + MAX_NAME_WORDS); end++) {
        const token = tokens[end]!;
        key += token;
        typed ||= !this.vocabulary.has(token) && !STOP_WORDS.has(token) && !SIZE_TOKEN.test(token);
        const exact = this.exactKeys.get(key);
        if (exact) {
          for (const entry of exact) add(entry, entry.match, start, end + 1, key.length);
        } else if (typed && end - start < MAX_FUZZY_WORDS && !STOP_WORDS.has(token)) {
          for (const entry of this.closeKeys(key)) add(entry, "fuzzy", start, end + 1, key.length);
        }
      }
    }
    // Same kind of match: the one said first ("is tulu 3 under the llama licence" is about Tülu),
    // then the longer name, then the narrower kind. A name inside a longer one is handled below.
    found.sort(
      (a, b) =>
        a.rank - b.rank || a.mention.start - b.mention.start || b.length - a.length || a.specificity - b.specificity,
    );
    // A longer name or alias that contains a shorter one is the more specific reading
    // ("mistral research license" over "mistral"); one beside it ("google ... gemma") is not. The
    // shorter one stays too, after it: a question about Pythia may say "EleutherAI/pythia".
    const ordered = found.flatMap(({ mention }) => {
      const containers = found.filter(
        ({ mention: other, rank }) =>
          rank < MATCH_RANK.fuzzy &&
          other.start <= mention.start &&
          other.end >= mention.end &&
          other.end - other.start > mention.end - mention.start,
      );
      const widest = containers.sort((a, b) => b.mention.end - b.mention.start - (a.mention.end - a.mention.start))[0]
        ?.mention;
      return widest ? [widest, mention] : [mention];
    });
    return uniqueHits(ordered);
  }

  /** Entries named inside a longer text, best first (see `findMentions`). */
  mentions(text: string, options: SearchOptions): Hit[] {
    return this.findMentions(text, options);
  }

  /** Whether some document uses this (canonical) word, or names an entry with it. */
  knowsWord(word: string): boolean {
    return this.vocabulary.has(word) || this.exactKeys.has(word);
  }

  isStopWord(word: string): boolean {
    return STOP_WORDS.has(word);
  }

  /** Name and alias keys one typo (a wrong, missing, extra or swapped letter) away from `key`. */
  private closeKeys(key: string): KeyEntry[] {
    if (allowedEdits(key.length) === 0) return [];
    const close = new Set<KeyEntry>();
    for (const variant of withOneDeletion(key)) {
      for (const entry of this.deletions.get(variant) ?? []) {
        if (!close.has(entry) && editDistanceWithin(key, entry.key, TYPO_EDITS) !== null) close.add(entry);
      }
    }
    return [...close];
  }

  /**
   * Full-text search with field boosts, prefix matching and one typo in words of five letters or more.
   * Words in `alsoSearch` are searched apart and their score added at a discount: in one query they
   * would also multiply every score by how many words matched, and outweigh what was typed.
   */
  search(query: string, { kinds, limit = 10 }: SearchOptions, alsoSearch: readonly string[] = []): Hit[] {
    // A long question is about its content more than about one name it happens to contain.
    const long = words(query).filter((word) => !STOP_WORDS.has(word)).length >= 5;
    const options = {
      boost: long ? PROSE_BOOST : FIELD_BOOST,
      prefix: (term: string) => term.length >= 3,
      // A word the content uses is no typo: only unknown words are matched loosely, the costly part.
      fuzzy: (term: string) =>
        this.vocabulary.has(term) ? false : term.length >= LONG_WORD ? 2 : term.length >= FUZZY_MIN_LENGTH ? 1 : false,
      weights: { fuzzy: 0.3, prefix: 0.5 },
      filter: (result: SearchResult) => kinds.includes(this.docs[result.id as number]!.kind),
    };
    const scores = new Map<number, number>();
    for (const result of this.mini.search(query, options)) scores.set(result.id as number, result.score);
    if (alsoSearch.length > 0) {
      for (const result of this.mini.search(alsoSearch.join(" "), options)) {
        const id = result.id as number;
        scores.set(id, (scores.get(id) ?? 0) + result.score * HINT_WEIGHT);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([id, score]) => this.hit(id, "search", score));
  }

  /** The entries whose text uses a word as it is (no prefix, no typo): few of them make it a telling word. */
  documentsUsing(word: string, { kinds }: Pick<SearchOptions, "kinds">): ReadonlySet<string> {
    // The index never changes (a reload builds a new one), and the same words come back often.
    const key = `${kinds.join(",")}|${word}`;
    let found = this.entriesUsing.get(key);
    if (!found) {
      const results = this.mini.search(word, {
        prefix: false,
        fuzzy: false,
        filter: (result) => kinds.includes(this.docs[result.id as number]!.kind),
      });
      found = new Set(results.map((result) => this.docKey(result.id as number)));
      if (this.entriesUsing.size >= ENTRIES_USING_KEPT) this.entriesUsing.clear();
      this.entriesUsing.set(key, found);
    }
    return found;
  }

  private docKey(id: number): string {
    const doc = this.docs[id]!;
    return `${doc.kind}:${doc.id}`;
  }

  /**
   * Exact matches first, then full-text results, without repeats: what lookups and /ask use. Words in
   * `alsoSearch` join the full-text query only ("gpu memory" for "vram"), never the name lookup.
   */
  lookup(query: string, options: SearchOptions, alsoSearch: readonly string[] = []): Hit[] {
    const limit = options.limit ?? 10;
    const searched = this.search(query, { ...options, limit: limit + 5 }, alsoSearch);
    return uniqueHits([...this.exact(query, options), ...searched]).slice(0, limit);
  }

  /**
   * Ranked suggestions while the user types: exact, then names starting with the text, then search.
   * Many people type the same prefixes ("lla", "qwe"), and the index never changes (a reload builds a
   * new one), so recent answers are kept.
   */
  suggest(query: string, options: SearchOptions): Hit[] {
    const limit = options.limit ?? 25;
    const key = lookupKey(query);
    if (!key) return [];
    const cacheKey = `${options.kinds.join(",")}|${limit}|${key}`;
    const cached = this.recentSuggestions.get(cacheKey);
    if (cached) {
      // Most recently used last: the oldest is the first the cap drops.
      this.recentSuggestions.delete(cacheKey);
      this.recentSuggestions.set(cacheKey, cached);
      return cached;
    }
    const hits = this.rankSuggestions(query, key, options, limit);
    this.recentSuggestions.set(cacheKey, hits);
    if (this.recentSuggestions.size > SUGGESTION_CACHE_SIZE) {
      this.recentSuggestions.delete(this.recentSuggestions.keys().next().value!);
    }
    return hits;
  }

  private rankSuggestions(query: string, key: string, options: SearchOptions, limit: number): Hit[] {
    const prefixHits: Hit[] = [];
    for (let i = lowerBound(this.sortedKeys, key); i < this.sortedKeys.length; i++) {
      const entry = this.sortedKeys[i]!;
      if (!entry.key.startsWith(key)) break;
      if (!options.kinds.includes(this.docs[entry.doc]!.kind)) continue;
      // Shorter keys are closer to what was typed: "llama" before "llama-3.1-405b".
      prefixHits.push(this.hit(entry.doc, "prefix", 500 - (entry.key.length - key.length)));
    }
    prefixHits.sort((a, b) => b.score - a.score);
    const known = uniqueHits([...this.exact(query, options), ...prefixHits]);
    // One or two letters are served by the key scan alone: as a word prefix they would match half the vocabulary.
    if (known.length >= limit || key.length < 3) return known.slice(0, limit);
    return uniqueHits([...known, ...this.searchNames(query, options.kinds, limit)]).slice(0, limit);
  }

  /** Names and aliases only: what people type in autocomplete, and what a lookup should try first. */
  searchNames(query: string, kinds: readonly EntryKind[], limit = 10): Hit[] {
    return this.names
      .search(query, {
        boost: { name: 2 },
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= FUZZY_MIN_LENGTH ? 1 : false),
        weights: { fuzzy: 0.3, prefix: 0.6 },
        filter: (result) => kinds.includes(this.docs[result.id as number]!.kind),
      })
      .slice(0, limit)
      .map((result) => this.hit(result.id as number, "search", result.score));
  }

  private hit(index: number, match: MatchKind, score: number): Hit {
    const doc = this.docs[index]!;
    return { kind: doc.kind, id: doc.id, name: doc.name, match, score };
  }
}

function rankOf(match: "name" | "alias"): number {
  return match === "name" ? 0 : 1;
}

/** About 2 MB at most: enough for the prefixes a busy server types over and over. */
const SUGGESTION_CACHE_SIZE = 1000;

const MATCH_RANK = { name: 0, alias: 1, fuzzy: 2 } as const;

/** When one key names several entries, the narrower one is meant: a model over its family. */
const SPECIFICITY: Record<EntryKind, number> = { model: 0, license: 1, family: 2, term: 3, section: 4 };

function kindRank(doc: SearchDocument, kinds: readonly EntryKind[]): number {
  return kinds.indexOf(doc.kind);
}

/** The hits in order, each entry once. */
export function uniqueHits<T extends Hit>(hits: readonly T[]): T[] {
  return uniqueBy(hits, (hit) => `${hit.kind}:${hit.id}`);
}

function lowerBound(entries: readonly KeyEntry[], key: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid]!.key < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The text itself and every string one deleted letter shorter. */
function withOneDeletion(text: string): string[] {
  const variants = [text];
  for (let i = 0; i < text.length; i++) variants.push(text.slice(0, i) + text.slice(i + 1));
  return variants;
}
