import { foldText } from "../knowledge/normalize.ts";

/**
 * Amounts in a question: a number of users ("800M MAU", "a billion monthly users", "10k users") and
 * revenue per month ("$20m a month", "$50k MRR", "€300M a year"). A bare size ("70B") is a model's
 * parameter count, not an amount: an amount needs its unit word.
 */
export interface Amounts {
  users?: number;
  /** Users "when Llama 3.1 came out": what a cap measured on a release date is checked against. */
  usersAtRelease?: number;
  revenuePerMonth?: number;
}

const WORD_NUMBERS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twenty: 20,
  fifty: 50,
  hundred: 100,
  "a few": 3,
  few: 3,
  several: 3,
  "a couple": 2,
  "a couple of": 2,
  "hundreds of": 300,
  "tens of": 30,
};

const SCALE: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  mil: 1e6,
  mio: 1e6,
  million: 1e6,
  millions: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  billions: 1e9,
};

const AMOUNT =
  /([$€£]\s*)?(\d+(?:[.,]\d+)*|\b(?:a couple of|a couple|a few|hundreds of|tens of|an?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|few|several))\s*(k|thousand|mm|mn|mil|mio|millions?|billions?|bn|m|b)?(?![a-z0-9])/g;

// "a 50-person company", "200 employees": for internal use, the staff are the users.
const USERS_AFTER =
  /^[\s-]*\+?\s*(?:(?:monthly|active|daily|weekly|paying|registered|total|unique|end|global|)\s+){0,2}?(?:monthly active users|monthly users|monthly actives?|active users|mau|maus|dau|users?|people|person|customers|subscribers|accounts|members|actives|downloads|installs|employees?|staff|seats)\b/;
const USERS_BEFORE =
  /(?:\bmau|monthly active users|users|user base|userbase)\s*(?:of|is|are|at|around|about|~|:|=)?\s*$/;
const MONEY_AFTER =
  /^\s*(?:(?:usd|eur|dollars|euros)\s*)?(?:\w+\s+){0,2}?(?:revenue|mrr|arr|in (?:sales|revenue)|a month|per month|\/\s*mo(?:nth)?|monthly|a year|per year|\/\s*y(?:ea)?r|annual(?:ly)?|turnover|sales)\b/;
const YEARLY =
  /^\s*(?:(?:usd|eur|dollars|euros)\s*)?(?:\w+\s+){0,3}?(?:arr|a year|per year|\/\s*y(?:ea)?r|annual(?:ly)?|yearly)\b/;
const REVENUE_BEFORE = /(?:revenue|mrr|arr|turnover|sales)\s*(?:of|is|are|at|around|about|~|:|=)?\s*$/;

/** Where one part of a sentence ends and another, possibly about another time, begins. */
const CLAUSE_BREAK = /[.?!](?=\s|$)|[;,]|\b(?:but|while|whereas|however|although|though)\b/g;
/** "Back when Llama 3.1 came out", "at release": a figure from the day a licence measures its cap on. */
const AT_RELEASE =
  /\b(?:when|once|as)\b(?:[^.?!]|\.(?=\d)){0,40}\b(?:came out|come out|launched|was released|got released|dropped|shipped)\b|\bat (?:the |its )?(?:release|launch)\b|\b(?:on|at) (?:the |its )?release date\b|\bback (?:then|when)\b/;
/** "...we had maybe 300M": a figure the asker had, whose unit the sentence already gave. */
const HAD_BEFORE =
  /\b(?:we|i|they) (?:had|were(?: at)?|was(?: at)?|only had)\s*(?:maybe|about|around|roughly|~|only|just)?\s*$/;

/** The part of the sentence around `start`, between the breaks on either side. */
function clauseAround(text: string, start: number, end: number): string {
  let from = 0;
  let to = text.length;
  for (const found of text.matchAll(CLAUSE_BREAK)) {
    const at = found.index ?? 0;
    if (at + found[0].length <= start) from = at + found[0].length;
    else if (at >= end) {
      to = at;
      break;
    }
  }
  return text.slice(from, to);
}

/** "five hundred million" -> "500 million": compound word numbers as digits before the scan. */
const HUNDREDS = /\b(a|one|two|three|four|five|six|seven|eight|nine) hundred(?: and)?\b/g;

export function parseAmounts(question: string): Amounts {
  const text = foldText(question).replace(HUNDREDS, (_, word: string) => String((WORD_NUMBERS[word] ?? 1) * 100));
  const found: Amounts = {};
  for (const match of text.matchAll(AMOUNT)) {
    const [whole, currency, number, unit] = match;
    const start = match.index ?? 0;
    const before = text.slice(Math.max(0, start - 30), start);
    const after = text.slice(start + whole.length, start + whole.length + 40);
    // A word number needs a scale ("a billion"), or it is just a word ("a startup").
    const digits = /^\d/.test(number!);
    if (!digits && !unit) continue;
    const value = toNumber(number!, unit);
    if (value === null) continue;
    const users = !currency && (USERS_AFTER.test(after) || USERS_BEFORE.test(before));
    const atRelease = !currency && AT_RELEASE.test(clauseAround(text, start, start + whole.length));
    if (atRelease && (users || (unit && HAD_BEFORE.test(before)))) {
      found.usersAtRelease ??= value;
      continue;
    }
    if (users) {
      found.users ??= value;
      continue;
    }
    if (currency || MONEY_AFTER.test(after) || REVENUE_BEFORE.test(before)) {
      const perMonth = YEARLY.test(after) || /\barr\s*$/.test(before) ? value / 12 : value;
      found.revenuePerMonth ??= perMonth;
    }
  }
  return found;
}

function toNumber(number: string, unit: string | undefined): number | null {
  const scale = unit ? (SCALE[unit] ?? 1) : 1;
  if (/^\d/.test(number)) {
    // "1,000,000" and "1.5": commas group thousands, one dot is a decimal point.
    const plain = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(number) ? number.replace(/,/g, "") : number.replace(",", ".");
    const value = Number.parseFloat(plain);
    return Number.isFinite(value) ? value * scale : null;
  }
  const word = WORD_NUMBERS[number.trim()];
  return word === undefined ? null : word * scale;
}
