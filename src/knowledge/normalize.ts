/**
 * One normalisation for documents and queries alike, so that case, hyphens, spaces, British and
 * American spellings and plurals all meet in the same form. Because both sides pass through the
 * same function, over-normalising a word (say "expertise" -> "expertize") is harmless.
 */

const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF\u00AD]/g;
const DIACRITICS = /\p{Diacritic}/gu;

export function foldText(text: string): string {
  return text.normalize("NFKD").replace(DIACRITICS, "").replace(INVISIBLE, "").toLowerCase();
}

/** British to American spelling, on one lower-case word. */
export function americanize(word: string): string {
  if (word.startsWith("licenc")) return `licens${word.slice(6)}`;
  return word
    .replace(/^(\w{2,})is(e|ed|es|ing|ation|ations|er|ers)$/, "$1iz$2")
    .replace(/^(\w{2,})ys(e|ed|es|ing)$/, "$1yz$2")
    .replace(/^(\w{3,})our(s?)$/, "$1or$2")
    .replace(/^(\w{3,})tre(s?)$/, "$1ter$2")
    .replace(/^(\w{3,}[aeiou])ll(ed|ing|er|ers)$/, "$1l$2");
}

/** A plural to its singular, roughly: only ever applied symmetrically. */
export function singularize(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !/(ss|us|is|as)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Words repeat thousands of times while an index is built: each is worked out once. */
const canonicalCache = new Map<string, string>();
const CANONICAL_CACHE_LIMIT = 100_000;

/** The canonical form of one word, used by the search index for documents and queries. */
export function canonicalWord(word: string): string {
  let canonical = canonicalCache.get(word);
  if (canonical === undefined) {
    canonical = singularize(americanize(word));
    if (canonicalCache.size >= CANONICAL_CACHE_LIMIT) canonicalCache.clear();
    canonicalCache.set(word, canonical);
  }
  return canonical;
}

/** Splits text into lower-case words (letters and digits; dots inside version numbers are separators). */
export function words(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The key an exact lookup uses: every word canonicalised, separators dropped, so "Llama 3.1",
 * "llama-3.1", "llama3.1" and "LLAMA_3_1" all become "llama31".
 */
export function lookupKey(text: string): string {
  return words(text).map(canonicalWord).join("");
}
