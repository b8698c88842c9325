import { describe, expect, it } from "vitest";
import { createRegistry } from "../commands/index.ts";
import { runCommand } from "../src/command-kit/execute.ts";
import { standaloneContext } from "../src/command-kit/standalone-context.ts";
import { firstScreenLength, LIMITS } from "../src/payloads/limits.ts";
import type { ReplyPayload } from "../src/payloads/reply.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const knowledge = bundledKnowledge();
const { kb } = knowledge;
const registry = createRegistry();
const context = standaloneContext(knowledge);

/** About what a phone shows before scrolling: the message content and the first embed. */
const FIRST_SCREEN = 1200;

const screen = (reply: ReplyPayload) => firstScreenLength(reply as Parameters<typeof firstScreenLength>[0]);

async function firstScreens(command: string, raws: Record<string, unknown>[]) {
  return Promise.all(
    raws.map(async (raw) => {
      const { reply } = await runCommand(registry, context, command, raw as never);
      return { label: `/${command} ${JSON.stringify(raw)}`, length: screen(reply), reply };
    }),
  );
}

describe("every answer's first screen fits a phone", () => {
  it("cards for every licence, family, model and term", async () => {
    const screens = [
      ...(await firstScreens(
        "license",
        [...kb.licences.keys(), ...kb.families.keys(), ...kb.models.keys()].map((name) => ({ name })),
      )),
      ...(await firstScreens(
        "family",
        [...kb.families.keys()].map((name) => ({ name })),
      )),
      ...(await firstScreens(
        "term",
        [...kb.terms.keys()].map((name) => ({ name })),
      )),
      ...(await firstScreens("help", [{}])),
    ];
    for (const { label, length } of screens) expect(length, label).toBeLessThanOrEqual(FIRST_SCREEN);
  });

  it("comparisons of neighbouring families and licences", async () => {
    const pairs = (ids: string[]) => ids.slice(1).map((id, index) => ({ first: ids[index]!, second: id }));
    const screens = await firstScreens("compare", [
      ...pairs([...kb.families.keys()]),
      ...pairs([...kb.licences.keys()]),
    ]);
    for (const { label, length } of screens) expect(length, label).toBeLessThanOrEqual(FIRST_SCREEN);
  });

  it("the details behind a card stay within Discord's limits and cut no field mid-sentence", async () => {
    const screens = [
      ...(await firstScreens(
        "license",
        [...kb.licences.keys()].map((name) => ({ name, details: "clauses" })),
      )),
      ...(await firstScreens(
        "license",
        [...kb.licences.keys()].map((name) => ({ name, details: "full" })),
      )),
      ...(await firstScreens(
        "family",
        [...kb.families.keys()].map((name) => ({ name, details: "full" })),
      )),
      ...(await firstScreens(
        "family",
        [...kb.families.keys()].map((name) => ({ name, details: "versions" })),
      )),
    ];
    for (const { label, reply } of screens) {
      for (const field of reply.embeds?.[0]?.fields ?? []) {
        expect(field.value.length, label).toBeLessThanOrEqual(LIMITS.fieldValue);
        if (field.value.endsWith("…")) expect(field.value, label).toMatch(/[.!?;\n] …$/);
      }
    }
    const clauses = screens.find(({ label }) => label.includes('"llama-3.1"') && label.includes("clauses"));
    expect(clauses?.reply.embeds?.[0]?.fields).toHaveLength(12);
  });
});
