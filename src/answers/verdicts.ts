import type { ClauseQuestion, Verdict } from "../content/schemas.ts";

/** A verdict as the first words of an answer. */
export const VERDICT_WORD: Record<Verdict, string> = {
  yes: "Yes",
  conditional: "Yes, with conditions",
  no: "No",
  "not-addressed": "The licence does not say",
  unconfirmed: "Not confirmed",
};

/** Clauses whose "yes" is a duty or a limit rather than a permission: there, "no" is the good news. */
export const DUTY_CLAUSES: ReadonlySet<ClauseQuestion> = new Set([
  "naming-attribution",
  "acceptable-use",
  "regional-limits",
  "termination",
  "notices",
  "gated-download",
]);

/** Whether a verdict is good news for the person asking: drives the mark shown beside it. */
export function isFavourable(clause: ClauseQuestion, verdict: Verdict): boolean | null {
  if (verdict === "conditional" || verdict === "unconfirmed" || verdict === "not-addressed") return null;
  return DUTY_CLAUSES.has(clause) ? verdict === "no" : verdict === "yes";
}

/**
 * The answer text with its verdict in bold: texts open with their verdict in words ("Yes, with
 * conditions: ..."), which is bolded; a text that does not gets the verdict word in front.
 */
export function verdictSentence(verdict: Verdict, text: string): string {
  const opening =
    /^((?:yes|no|not confirmed|unconfirmed|not addressed|the licen[cs]e does not say|only|partly)[^:.]{0,40}[:.])\s*/i.exec(
      text,
    );
  if (opening) return `**${opening[1]}** ${text.slice(opening[0].length)}`;
  return `**${VERDICT_WORD[verdict]}.** ${text}`;
}
