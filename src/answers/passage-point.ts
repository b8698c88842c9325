import { canonicalWord, words } from "../knowledge/normalize.ts";
import type { KnowledgeBase, LayerSection } from "../knowledge/types.ts";

/** Words every question uses: they say how something is asked, not what about. */
const QUESTION_WORDS = new Set(
  "a an and are as at be by can could do does for from get how i in is it me my of on or should that the this to was what when where which who why will with would you your about tell explain mean means much many need use using want".split(
    " ",
  ),
);
const MAX_POINT_CHARS = 600;
/** A sentence that opens by pointing back ("It", "This", "They") needs the one before it. */
const ANAPHOR = /^(?:it|its|it's|this|these|that|those|they|their|them|such|so|but|and|also|however)\b/i;
const MAX_SENTENCES = 3;
const NEXT_PASSAGES = 3;

/**
 * The few sentences of a passage that answer the question: the one sharing most of its words, with
 * the sentences that follow it (a point is usually stated, then explained), in the passage's order.
 * Null when no sentence shares a word with the question, so the passage's opening stands instead.
 */
export function passagePoint(blocks: readonly string[], question: string): string | null {
  const asked = new Set(
    words(question)
      .filter((word) => word.length > 2 && !QUESTION_WORDS.has(word))
      .map(canonicalWord),
  );
  if (asked.size === 0) return null;
  // A table row is no point to quote: the passage's opening says more.
  const sentences = blocks
    .flatMap(paragraphs)
    .flatMap(splitSentences)
    .filter((sentence) => !sentence.text.startsWith("|"));
  const wordsOf = sentences.map((sentence) => new Set(words(sentence.text).map(canonicalWord)));
  // A word the passage uses in every sentence ("model") says less about which sentence answers.
  const weight = (word: string) => 1 / wordsOf.filter((found) => found.has(word)).length;
  let best = -1;
  let bestScore = 0;
  wordsOf.forEach((found, index) => {
    let score = 0;
    for (const word of asked) if (found.has(word)) score += weight(word);
    if (score > bestScore) [best, bestScore] = [index, score];
  });
  if (best < 0) return null;
  // "Its authors show…" leans on the sentence before it: start there.
  const leansBack =
    best > 0 && ANAPHOR.test(sentences[best]!.text) && sentences[best - 1]!.line === sentences[best]!.line;
  if (leansBack) best -= 1;
  const chosen = [sentences[best]!];
  for (let next = best + 1; next < sentences.length && chosen.length < MAX_SENTENCES; next++) {
    const sentence = sentences[next]!;
    // A point stays within its paragraph or list item.
    if (sentence.line !== chosen[0]!.line) break;
    if (chosen.reduce((length, { text }) => length + text.length + 1, 0) + sentence.text.length > MAX_POINT_CHARS)
      break;
    chosen.push(sentence);
  }
  return chosen.map(({ text }) => text).join(" ");
}

/**
 * A block's paragraphs and list items. Source text may wrap a sentence over several lines; a new line
 * starts a new item only where a list item or table row begins.
 */
function paragraphs(block: string): string[] {
  return block.split(/\n(?=\s*(?:[-*•]\s|\d+[.)]\s|\|))/).map((item) => item.replace(/\s*\n\s*/g, " "));
}

/** A paragraph's sentences, each knowing its paragraph; a bold lead-in ("**SGLang.** Another…") stays with its sentence. */
function splitSentences(line: string, lineIndex: number): { text: string; line: number }[] {
  return line
    .split(/(?<=[.!?])\s+(?=[A-Z"“(])/)
    .map((sentence) => ({ text: sentence.trim(), line: lineIndex }))
    .filter((sentence) => sentence.text.length > 0);
}

/** The passages to read next: the one after it on its page, then other passages the question found. */
export function nextPassages(
  kb: KnowledgeBase,
  section: LayerSection,
  found: readonly { kind: string; id: string }[],
): { id: string; label: string }[] {
  const page = [...kb.sections.values()].filter((other) => other.url === section.url);
  const following = page[page.findIndex((other) => other.id === section.id) + 1];
  const next = following ? [{ id: following.id, label: `Next: ${following.heading}` }] : [];
  for (const hit of found) {
    const other = hit.kind === "section" ? kb.sections.get(hit.id) : undefined;
    if (!other || other.id === section.id || next.some((entry) => entry.id === other.id)) continue;
    next.push({ id: other.id, label: `${other.layerTitle}: ${other.heading}` });
  }
  return next.slice(0, NEXT_PASSAGES);
}
