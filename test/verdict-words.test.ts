import { describe, expect, it } from "vitest";
import { type AskerVerdict, covers, type ModelDetail, verdictFor } from "../src/answers/asker-verdict.ts";
import { clauseAnswer } from "../src/answers/clause.ts";
import { CLAUSE_QUESTION_KEYS, type ClauseCondition } from "../src/content/schemas.ts";
import { render } from "../src/payloads/render/index.ts";
import type { Situation } from "../src/understand/situation.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const NOTHING_SAID: Situation = { places: [], regions: [], purposes: [], role: null };
const MARK = { ok: "✅", warn: "⚠️", stop: "⛔" } as const;

/** The situation that a condition covers: above its cap, inside its region, doing what it bans. */
function covered(condition: ClauseCondition): { situation: Situation; model: ModelDetail } {
  return {
    situation: {
      places:
        condition.regions?.map((region) =>
          region === "EU" ? "FR" : region === "EEA" ? "NO" : region === "UK" ? "GB" : region,
        ) ?? [],
      regions: condition.regions ?? [],
      ...(condition.users_over ? { users: condition.users_over * 2 } : {}),
      ...(condition.revenue_over_per_month ? { revenuePerMonth: condition.revenue_over_per_month * 2 } : {}),
      purposes: [...(condition.bans ?? []), ...(condition.when_sharing ? ["share"] : [])],
      role: "company",
    },
    model: {
      words: condition.models ?? [],
      // A ban on improving other models covers a model under another licence.
      ...(condition.except_own_models ? { target: { name: "Another model", licenceId: "another-licence" } } : {}),
    },
  };
}

/** Words and mark agree: a yes is never shown with a stop sign, a no never with a tick. */
function expectAgreement(verdict: AskerVerdict) {
  const words = verdict.words.toLowerCase();
  if (verdict.polarity === "forbids") {
    // "Does it forbid X?": yes is the bad news.
    if (verdict.reading === "yes") expect([words, verdict.mark]).toEqual(["yes", "stop"]);
    if (verdict.reading === "no") expect(words).toBe("no");
    if (verdict.reading === "no") expect(verdict.mark).not.toBe("stop");
    return;
  }
  if (verdict.polarity === "is-there") {
    if (words.startsWith("no, there is none")) expect(verdict.mark).toBe("ok");
    else if (words.startsWith("yes, there is")) expect(verdict.mark).not.toBe("stop");
    else expect(words).toBe("not settled");
    return;
  }
  if (verdict.reading === "yes")
    expect(verdict.mark === "ok" || (verdict.polarity === "must" && verdict.mark === "warn")).toBe(true);
  if (verdict.reading === "no") expect(verdict.mark).toBe(verdict.polarity === "must" ? "ok" : "stop");
  if (verdict.reading === "yes") expect(words.startsWith("yes")).toBe(true);
  if (verdict.reading === "no") expect(words.startsWith("no")).toBe(true);
  if (verdict.reading === "yes-unless" || verdict.reading === "only-if") {
    expect(verdict.mark).toBe("warn");
    expect(/^(?:yes, unless|yes, within|only if|only in some cases|it depends)/.test(words)).toBe(true);
  }
}

describe("every clause of every licence, asked as may, must and is-there", () => {
  const knowledge = bundledKnowledge();
  for (const licence of knowledge.kb.licences.values()) {
    it(`${licence.id}: the first words agree with the mark, with and without a situation`, () => {
      for (const clause of CLAUSE_QUESTION_KEYS) {
        for (const polarity of ["may", "must", "is-there", "forbids"] as const) {
          expectAgreement(verdictFor(licence, clause, polarity, NOTHING_SAID, { words: [] }));
        }
        const condition = licence.answers[clause].condition;
        if (!condition) continue;
        const { situation, model } = covered(condition);
        expect(covers(condition, situation, { ...model, licenceId: licence.id }).coverage).toBe("covered");
        const may = verdictFor(licence, clause, "may", situation, model);
        const must = verdictFor(licence, clause, "must", situation, model);
        expectAgreement(may);
        expectAgreement(must);
        // Covered by a limit means "no" to may (a threshold that only brings a duty, or a step to take
        // first, still allows the use); covered by a duty means "yes" to must.
        if (clause !== "train-other-models")
          expect(may.reading).toBe(condition.duty || condition.requires ? "yes" : "no");
        expect(must.reading).toBe("yes");
      }
    });
  }

  it("the rendered clause answer opens with the mark and the words, never with the clause's own yes", () => {
    const llama = knowledge.kb.licences.get("llama-3.2")!;
    const answer = clauseAnswer(
      knowledge.kb,
      "we're a company in Lyon, can we use llama 3.2 90b vision?",
      { ref: { kind: "license", id: llama.id }, name: llama.name },
      "regional-limits",
      {
        polarity: "may",
        situation: { ...NOTHING_SAID, places: ["FR"], regions: ["EU", "EEA"], role: "company" },
        modelWords: ["90b", "vision"],
      },
    )!;
    const description = render(answer, { command: "ask", hidden: false }).embeds![0]!.description!;
    expect(description).toContain(`${MARK.stop} **No**`);
    expect(description).not.toMatch(/\*\*Yes/);
  });
});
