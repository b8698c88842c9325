import { describe, expect, it } from "vitest";
import { answerAsk } from "../src/answers/ask.ts";
import { passagePoint } from "../src/answers/passage-point.ts";
import type { AskAnswer, SectionAnswer } from "../src/answers/types.ts";
import { decodeCustomId } from "../src/payloads/custom-id.ts";
import { render } from "../src/payloads/render/index.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const knowledge = bundledKnowledge();

function passageFor(question: string): { answer: AskAnswer; section: SectionAnswer } {
  const answer = answerAsk(knowledge, question) as AskAnswer;
  expect(answer.type).toBe("ask");
  expect(answer.best.type).toBe("section");
  return { answer, section: answer.best as SectionAnswer };
}

describe("a passage quoted for the question asked", () => {
  it("quotes the sentences that answer it, not the passage's opening", () => {
    const { section } = passageFor("why does a longer context use more memory?");
    expect(section.point).toMatch(/KV cache grows/);
    expect(section.point).not.toMatch(/first word appears/);
  });

  it("keeps a point inside one paragraph or list item, stated then explained", () => {
    const blocks = ["Intro line.", "• **Speed.** Each token reads the cache. So it slows.\n• **Memory.** It grows."];
    expect(passagePoint(blocks, "why does speed drop as the cache fills")).toBe(
      "• **Speed.** Each token reads the cache. So it slows.",
    );
    expect(passagePoint(blocks, "how do I do it")).toBeNull();
  });

  it("credits the lesson with its link and offers the next passages as buttons that open them", () => {
    const { answer, section } = passageFor("why does a longer context use more memory?");
    const parts = render(answer, { command: "ask", hidden: false });
    const [embed] = parts.embeds ?? [];
    expect(embed?.description).toMatch(/^> /);
    expect(embed?.description).toContain(`— from the lesson [Long context](${section.section.url})`);
    const buttons = (parts.components ?? []).flatMap((row) => ("components" in row ? row.components : []));
    const next = buttons.find((button) => "label" in button && button.label?.startsWith("Next:"));
    const action = decodeCustomId(String((next as { custom_id?: string }).custom_id));
    expect(action).toMatchObject({ command: "ask", ephemeral: true });
    // The button's id opens the following passage of the same lesson.
    const opened = answerAsk(knowledge, action!.entryId) as AskAnswer;
    expect(opened.best).toMatchObject({ type: "section", section: { url: section.section.url } });
    expect((opened.best as SectionAnswer).section.id).not.toBe(section.section.id);
  });
});
