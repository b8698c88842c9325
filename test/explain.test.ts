import { describe, expect, it } from "vitest";
import { commandModules } from "../commands/index.ts";
import { answerExplain, EXPLAIN_MAX_CHARACTERS, EXPLAIN_MAX_ITEMS } from "../src/answers/explain.ts";
import { inviteUrl, userInstallUrl } from "../src/cli/install-links.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const knowledge = bundledKnowledge();

describe("explaining a message", () => {
  it("zero, one and many names; loose words and typos are not names", () => {
    expect(answerExplain(knowledge, "nothing to see here, lama and quen are typos").items).toEqual([]);
    const one = answerExplain(knowledge, "we run Apache-2.0 models only");
    expect(one.items.map((item) => item.ref.id)).toEqual(["apache-2.0"]);
    expect(one.items[0]!.gist).toBe("Apache-2.0: open; commercial use: yes");
    const many = answerExplain(
      knowledge,
      "llama, qwen, gemma, deepseek, kimi, glm, mistral, olmo, pythia, granite, phi-4, falcon, yi, grok, lora, gguf",
    );
    expect(many.items).toHaveLength(EXPLAIN_MAX_ITEMS);
    expect(many.items[0]!.ref).toEqual({ kind: "family", id: "llama" });
  });

  it("flags 'open source' only for the names in the same sentence", () => {
    const answer = answerExplain(knowledge, "Llama 3 is open source. Mistral Large 2 is fine too.");
    expect(answer.claims).toHaveLength(1);
    expect(answer.claims[0]).toMatch(/^The message calls .*Llama 3.* open source/);
  });

  it(`reads at most ${EXPLAIN_MAX_CHARACTERS} characters`, () => {
    const answer = answerExplain(knowledge, `${"x ".repeat(EXPLAIN_MAX_CHARACTERS)} gemma`);
    expect(answer.truncated).toBe(true);
    expect(answer.items).toEqual([]);
  });
});

describe("installs", () => {
  it("lookups are registered for server and user installs everywhere; admin commands for servers only", () => {
    const byName = new Map(commandModules.map((module) => [module.definition.name, module.definition]));
    for (const name of ["license", "family", "term", "ask", "compare", "help", "Explain with Stackbot"]) {
      expect(byName.get(name)?.integration_types, name).toEqual([0, 1]);
      expect(byName.get(name)?.contexts, name).toEqual([0, 1, 2]);
    }
    for (const name of ["digest", "autoanswer", "reload"]) {
      expect(byName.get(name)?.integration_types, name).toEqual([0]);
      expect(byName.get(name)?.contexts, name).toEqual([0]);
    }
    expect(byName.get("Explain with Stackbot")?.type).toBe(3);
  });

  it("npm run invite prints a server link and a user-install link", () => {
    expect(inviteUrl("123")).toContain("integration_type=0");
    expect(inviteUrl("123")).toContain("scope=bot+applications.commands");
    expect(userInstallUrl("123")).toBe(
      "https://discord.com/oauth2/authorize?client_id=123&scope=applications.commands&integration_type=1",
    );
  });
});
