import { asksForList, comparisonSides } from "../../understand/wording.ts";
import { compareFromText } from "../compare-text.ts";
import { entryAnswer } from "../entries.ts";
import { entryLink } from "../site.ts";
import type { AskResult } from "../types.ts";
import type { Question } from "./question.ts";

export function comparison(question: Question): AskResult | null {
  return compareFromText(question.knowledge, question.text, question.frame.clause) ?? compareTerms(question);
}

/** "Open weights vs open source": two glossary words, each defined, the first as the answer. */
function compareTerms({ knowledge, text, clause, subject }: Question): AskResult | null {
  const sides = comparisonSides(text);
  // "openrail m, osi-approved or not?" asks a clause of a licence, not two words; "which models
  // passed the OSI's validation against the definition?" asks for a list.
  if (!sides || (clause && subject) || asksForList(text)) return null;
  // A quoted phrase is the side itself: "'open source' for a model" compares "open source".
  const terms = sides.map((side) => {
    // The phrase itself: quoted, or the side up to its first comma or question mark.
    const inQuotes = /['"‘“]([^'"’”]{2,40})['"’”]/.exec(side)?.[1];
    const quoted = inQuotes ?? side.split(/[,?;:]/)[0]!.trim();
    const named =
      knowledge.index.exact(quoted, { kinds: ["term"] })[0] ??
      knowledge.index.findMentions(quoted, { kinds: ["term"] })[0];
    // Full text only for a side the asker quoted: it is a term by their own account.
    const short = quoted.split(/\s+/).length <= 3;
    return named ?? (inQuotes && short ? knowledge.index.search(quoted, { kinds: ["term"], limit: 1 })[0] : undefined);
  });
  const [first, second] = terms;
  if (!first || !second || first.id === second.id) return null;
  const best = entryAnswer(knowledge, first);
  if (!best) return null;
  // "Open weights vs open source, same thing?": two entries of their own are two things.
  const same = /\bsame (?:thing|things|as)\b|\bidentical\b|\binterchangeabl/i.test(text);
  const lead = same
    ? `⛔ **No**: ${first.name} and ${second.name} are different things; the first is below, the second one button away.`
    : undefined;
  return { type: "ask", question: text, best, seeAlso: [entryLink(knowledge.kb, second)], ...(lead ? { lead } : {}) };
}
