import type { ClauseQuestion } from "../content/schemas.ts";
import { foldText } from "../knowledge/normalize.ts";
import type { EntryKind } from "../knowledge/types.ts";
import type { Hit, Mention } from "../search/index.ts";
import { vocabulary } from "../understand/vocabulary.ts";
import { asksYesNo, comparisonSides } from "../understand/wording.ts";
import { licenceTarget } from "./clause.ts";
import { compareSides } from "./compare-sides.ts";
import { familyAnswer, licenceAnswer } from "./entries.ts";
import type { CompareAnswer, Knowledge, Subject } from "./types.ts";

const COMPARED_KINDS: readonly EntryKind[] = ["license", "model", "family"];

/** Words that join the two things compared: "llama 3.1 70b **or** qwen3-32b", "gemma **vs** llama". */
const CONNECTOR = /\s(?:vs\.?|versus|v\.|or|compared (?:to|with)|against|than)\s/i;

const toSubject = (hit: Hit): Subject => ({ ref: { kind: hit.kind, id: hit.id }, name: hit.name });

/**
 * "X vs Y" in free text, as `/compare` answers it: two families, or two licences when the question
 * is about licences or names one. Each side is read from a comparison pattern when one fits, else
 * from the names nearest either side of the joining word (long questions put context around them).
 */
export function compareFromText(
  knowledge: Knowledge,
  question: string,
  focus: ClauseQuestion | null = null,
): CompareAnswer | null {
  const sides = comparisonSides(question) ?? splitAtConnector(question);
  if (!sides) return null;
  const aboutLicences = /\blicen[cs]|\bterms\b/.test(foldText(question));
  const [first, second] = sides.map((side, index) => sideEntry(knowledge, side, index === 0, aboutLicences));
  if (!first || !second) return null;
  const licences = compareLicences(knowledge, [first, second], sides);
  const families = compareFamilies(knowledge, [first, second], sides);
  // Licences when the question is about them; but two releases of one family ("gpt-4o or gpt-oss")
  // differ by licence, and two families under one licence ("GLM-4.5 or DeepSeek-R1") by the rest.
  // "How is OLMo 2 more open than Llama 3.1?" asks about what each releases: the families.
  const aboutOpenness = vocabulary().has("intent", "compare-openness", question);
  const chosen = aboutOpenness
    ? (families ?? licences)
    : aboutLicences || first.kind === "license" || second.kind === "license"
      ? (licences ?? families)
      : (families ?? licences);
  const asks = vocabulary().has("intent", "compare-same", question)
    ? "same"
    : vocabulary().has("intent", "compare-changed", question)
      ? "changed"
      : null;
  return chosen ? { ...chosen, ...(focus ? { focus } : {}), ...(asks ? { asks } : {}) } : chosen;
}

function compareLicences(
  knowledge: Knowledge,
  [first, second]: Mention[],
  sides: [string, string],
): CompareAnswer | null {
  const a = licenceTarget(knowledge.kb, toSubject(first!), sides[0]);
  const b = licenceTarget(knowledge.kb, toSubject(second!), sides[1]);
  if (!a || !b || a.licence.id === b.licence.id) return null;
  // Name each side as asked when it was a release, not the licence itself ("GLM-4.5 is under MIT").
  const asAsked = (hit: Mention, target: typeof a) =>
    hit.kind === "license" ? null : (target.version ?? target.newestOf ?? hit.name);
  const left = asAsked(first!, a);
  const right = asAsked(second!, b);
  return {
    ...compareSides(licenceAnswer(knowledge, a.licence.id)!, licenceAnswer(knowledge, b.licence.id)!),
    ...(left && right ? { asked: [left, right] as [string, string] } : {}),
  };
}

function compareFamilies(
  knowledge: Knowledge,
  [first, second]: Mention[],
  sides: [string, string],
): CompareAnswer | null {
  // A licence named for a family ("llama 3.1") stands for that family when releases are compared:
  // its only family, or the one the side names (the Llama 3.1 licence also covers a DeepSeek distill).
  const familyOf = (hit: Hit, side: string) => {
    if (hit.kind === "model") return knowledge.kb.models.get(hit.id)?.familyId;
    if (hit.kind !== "license") return hit.id;
    const families = knowledge.kb.licences.get(hit.id)?.familyIds ?? [];
    if (families.length === 1) return families[0];
    const text = foldText(side);
    return families.find((id) => text.includes(foldText(knowledge.kb.families.get(id)?.name ?? id)));
  };
  const a = familyOf(first!, sides[0]);
  const b = familyOf(second!, sides[1]);
  if (!a || !b || a === b) return null;
  const left = familyAnswer(knowledge, a);
  const right = familyAnswer(knowledge, b);
  return left && right ? compareSides(left, right) : null;
}

function splitAtConnector(question: string): [string, string] | null {
  const match = CONNECTOR.exec(question);
  if (!match) return null;
  // In a yes/no question "or" joins alternatives of the question, not two things compared:
  // "llama3 with 900M users - fine or do we need to talk to meta?"
  if (/^\s*or\s*$/i.test(match[0]) && asksYesNo(question)) return null;
  return [question.slice(0, match.index), question.slice(match.index + match[0].length)];
}

/**
 * The entry one side names: of the widest names on it (a name inside a longer one, "mit" in
 * "modified mit", does not count), the one nearest the joining word: the last on the left, the first
 * on the right. When licences are compared, a licence over a family on the same side ("mistral MRL").
 */
function sideEntry(knowledge: Knowledge, side: string, isLeft: boolean, aboutLicences: boolean): Mention | null {
  const mentions = knowledge.index.findMentions(side, { kinds: COMPARED_KINDS });
  const widest = mentions.filter(
    (mention) =>
      !mentions.some(
        (other) =>
          other.start <= mention.start &&
          other.end >= mention.end &&
          other.end - other.start > mention.end - mention.start,
      ),
  );
  const licences = widest.filter((mention) => mention.kind === "license");
  const pool = aboutLicences && licences.length > 0 ? licences : widest;
  if (pool.length === 0) return null;
  return pool.reduce((nearest, mention) =>
    isLeft ? (mention.end > nearest.end ? mention : nearest) : mention.start < nearest.start ? mention : nearest,
  );
}
