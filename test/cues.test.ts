import { describe, expect, it } from "vitest";
import { Vocabulary, vocabulary } from "../src/understand/vocabulary.ts";

/** Groups where one meaning wins: an example must be won by its own cue, not merely match it. */
const ONE_WINS = new Set(["clause", "polarity", "decline", "role", "list-rule"]);

describe("cue files: every example is read as its cue says, every counter-example is not", () => {
  const vocab = vocabulary();
  for (const cue of vocab.cues) {
    describe(`${cue.group}/${cue.id} (${cue.means})`, () => {
      for (const example of cue.examples) {
        it(`reads "${example}"`, () => {
          expect(Vocabulary.cueMatches(cue, example)).toBe(true);
          if (ONE_WINS.has(cue.group)) expect(vocab.first(cue.group, example)).toBe(cue.means);
        });
      }
      for (const counter of cue.counter_examples) {
        it(`does not read "${counter}"`, () => {
          expect(Vocabulary.cueMatches(cue, counter)).toBe(false);
        });
      }
    });
  }
});

describe("list rules", () => {
  it("every list-rule cue names a list the code builds, and every list has a cue", async () => {
    const { LIST_RULES } = await import("../src/answers/lists.ts");
    const cued = new Set(
      vocabulary()
        .cues.filter((cue) => cue.group === "list-rule")
        .map((cue) => cue.means),
    );
    expect([...cued].sort()).toEqual(LIST_RULES.map((rule) => rule.id).sort());
  });
});
