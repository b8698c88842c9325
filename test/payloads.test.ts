import { ComponentType } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { commandModules, createRegistry } from "../commands/index.ts";
import { runCommand } from "../src/command-kit/execute.ts";
import { standaloneContext } from "../src/command-kit/standalone-context.ts";
import { escapeUserText } from "../src/payloads/escape.ts";
import {
  FIRST_SCREEN,
  firstScreenLength,
  fitChoices,
  fitEmbed,
  fitFirstScreen,
  LIMITS,
  truncate,
} from "../src/payloads/limits.ts";
import type { ReplyPayload } from "../src/payloads/reply.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const knowledge = bundledKnowledge();
const registry = createRegistry();
const context = standaloneContext(knowledge);
const run = async (name: string, raw: Record<string, unknown>) =>
  (await runCommand(registry, context, name, raw)).reply;

/** Every limit Discord enforces on a message, checked on a finished payload. */
function expectWithinLimits(payload: ReplyPayload, label: string) {
  expect(payload.content?.length ?? 0, label).toBeLessThanOrEqual(LIMITS.content);
  const embeds = payload.embeds ?? [];
  expect(embeds.length, label).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
  let total = 0;
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0, label).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(embed.description?.length ?? 0, label).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed.fields?.length ?? 0, label).toBeLessThanOrEqual(LIMITS.embedFields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length, label).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(field.value.length, label).toBeLessThanOrEqual(LIMITS.fieldValue);
      expect(field.value.length, `${label}: empty field ${field.name}`).toBeGreaterThan(0);
    }
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
    total += (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  }
  expect(total, label).toBeLessThanOrEqual(LIMITS.embedTotal);
  const rows = (payload.components ?? []) as {
    components: { type: number; custom_id?: string; label?: string; options?: unknown[] }[];
  }[];
  expect(rows.length, label).toBeLessThanOrEqual(LIMITS.actionRows);
  for (const row of rows) {
    expect(row.components.length, label).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    for (const component of row.components) {
      expect(component.custom_id?.length ?? 0, label).toBeLessThanOrEqual(LIMITS.customId);
      expect(component.label?.length ?? 0, label).toBeLessThanOrEqual(LIMITS.buttonLabel);
      expect(component.options?.length ?? 0, label).toBeLessThanOrEqual(LIMITS.selectOptions);
    }
  }
  expect(payload.allowed_mentions.parse, label).toEqual([]);
}

describe("every entry in the content renders within Discord's limits", () => {
  const { kb } = knowledge;
  it("each licence", async () => {
    for (const id of kb.licences.keys()) expectWithinLimits(await run("license", { name: id }), `license ${id}`);
  });
  it("each family, as /family and as /license", async () => {
    for (const id of kb.families.keys()) {
      expectWithinLimits(await run("family", { name: id }), `family ${id}`);
      expectWithinLimits(await run("license", { name: id }), `license ${id}`);
    }
  });
  it("each term", async () => {
    for (const slug of kb.terms.keys()) expectWithinLimits(await run("term", { name: slug }), `term ${slug}`);
  });
  it("each model, through /license and /family", async () => {
    for (const slug of kb.models.keys()) {
      expectWithinLimits(await run("license", { name: slug }), `license ${slug}`);
      expectWithinLimits(await run("family", { name: slug }), `family ${slug}`);
    }
  });
  it("each module section, through /ask", async () => {
    for (const section of kb.sections.values()) {
      expectWithinLimits(await run("ask", { question: `${section.layerTitle} ${section.heading}` }), section.id);
    }
  });
  it("every pair of families compared", async () => {
    const ids = [...kb.families.keys()];
    for (const a of ids)
      for (const b of ids) expectWithinLimits(await run("compare", { first: a, second: b }), `${a} vs ${b}`);
  });
  it("autocomplete on every prefix of every family name", async () => {
    const family = registry.get("family")!;
    for (const entry of kb.families.values()) {
      for (let end = 0; end <= entry.name.length; end++) {
        const choices = await family.autocomplete!(context, { name: "name", value: entry.name.slice(0, end) });
        expect(choices.length).toBeLessThanOrEqual(LIMITS.choices);
        for (const choice of choices) {
          expect(choice.name.length).toBeGreaterThan(0);
          expect(choice.name.length).toBeLessThanOrEqual(LIMITS.choiceName);
          expect(choice.value.length).toBeLessThanOrEqual(LIMITS.choiceValue);
        }
      }
    }
  });
});

describe("mention safety with hostile input", () => {
  const hostile = [
    "@everyone",
    "@here look",
    "<@&123456789012345678> role ping",
    "<@123456789012345678> user ping",
    "**bold** __under__ ~~strike~~ `code` ||spoiler|| [link](https://evil.example)",
    "zero\u200Bwidth\u200Fand\u202Eright-to-left",
    "x".repeat(6000),
  ];

  it.each(hostile)("/ask %# never pings and never breaks limits", async (text) => {
    for (const payload of [
      await run("ask", { question: text }),
      await run("term", { name: text }),
      await run("license", { name: text }),
    ]) {
      expectWithinLimits(payload, text.slice(0, 20));
      expect(payload.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
      const echoed = JSON.stringify(payload);
      expect(echoed).not.toMatch(/(?<!\\u200b)@everyone|(?<!\\u200b)@here/i);
      expect(echoed).not.toContain("<@&123456789012345678>");
      expect(echoed).not.toContain("\u202E");
    }
  });

  it("only the addressed user may be pinged", async () => {
    const payload = await run("term", { name: "moe", mention: "123456789012345678" });
    expect(payload.allowed_mentions).toEqual({ parse: [], users: ["123456789012345678"], replied_user: false });
    expect(payload.content).toContain("<@123456789012345678>");
  });

  it("a mention that is not an id is refused before anything is sent", async () => {
    await expect(run("term", { name: "moe", mention: "@everyone" })).rejects.toThrow(/mention or an id/);
  });

  it("escapes user text so it shows literally", () => {
    expect(escapeUserText("**hi** @everyone <@&1234567890123456>")).toBe(
      "\\*\\*hi\\*\\* @\u200Beveryone <\u200B@&1234567890123456\\>",
    );
  });
});

describe("limits are enforced in one place", () => {
  it("truncates with an ellipsis and never splits a surrogate pair", () => {
    const text = "🧬".repeat(200);
    const cut = truncate(text, 101);
    expect(cut.length).toBeLessThanOrEqual(101);
    expect(cut.endsWith("…")).toBe(true);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });

  it("fits an oversize embed into 6000 characters", () => {
    const fields = Array.from({ length: 40 }, (_, i) => ({ name: `f${i}`, value: "v".repeat(2000) }));
    const fitted = fitEmbed({ title: "t".repeat(300), description: "d".repeat(5000), fields });
    expect(fitted.fields!.length).toBeLessThanOrEqual(25);
    const total =
      fitted.title!.length +
      fitted.description!.length +
      fitted.fields!.reduce((s, f) => s + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
  });

  it("caps choices at 25 and drops duplicates", () => {
    const choices = Array.from({ length: 40 }, (_, i) => ({ name: "n".repeat(150), value: `v${i % 30}` }));
    const fitted = fitChoices(choices);
    expect(fitted).toHaveLength(25);
    expect(new Set(fitted.map((choice) => choice.value)).size).toBe(25);
    expect(fitted[0]!.name.length).toBe(100);
  });
});

describe("the did-you-mean menu", () => {
  it("is private, lists suggestions, and re-runs the command on pick", async () => {
    const payload = await run("license", { name: "deepseek-v" });
    const row = payload.components?.[0] as {
      components: { type: number; custom_id: string; options: { value: string }[] }[];
    };
    expect(row.components[0]!.type).toBe(ComponentType.StringSelect);
    expect(row.components[0]!.custom_id).toBe("license:p:");
    expect(row.components[0]!.options.map((option) => option.value)).toEqual(
      expect.arrayContaining(["deepseek", "deepseek-v3"]),
    );
    expect(payload.flags).toBe(64);
    const hidden = await run("license", { name: "deepseek-v", hide: true });
    expect((hidden.components![0] as typeof row).components[0]!.custom_id).toBe("license:e:");
  });
});

it("every command module has a definition Discord accepts in shape", () => {
  for (const module of commandModules) {
    if (module.definition.type === 3) {
      // A message command: any name of 1-32 characters, and no description.
      expect(module.definition.name.length).toBeLessThanOrEqual(32);
      expect(module.definition.description).toBe("");
      continue;
    }
    expect(module.definition.name).toMatch(/^[a-z][a-z-]{0,31}$/);
    expect(module.definition.description.length).toBeLessThanOrEqual(100);
    for (const option of module.definition.options ?? []) {
      expect(option.description.length).toBeLessThanOrEqual(100);
    }
  }
});

describe("fitFirstScreen", () => {
  const sentence = "A sentence that says one thing plainly. ";
  const linked = "[Lesson one](https://example.org/one) · [Lesson two](https://example.org/two)";

  it("cuts the longest plain part at a sentence until the first screen fits, and leaves links whole", () => {
    const message = {
      content: "**Asked:** a question",
      embeds: [
        {
          title: "A long card",
          description: sentence.repeat(30),
          fields: [
            { name: "Also called", value: sentence.repeat(8) },
            { name: "In the lessons", value: linked },
          ],
        },
        { title: "See also", description: sentence.repeat(40) },
      ],
    };
    const fitted = fitFirstScreen(message);
    expect(firstScreenLength(fitted)).toBeLessThanOrEqual(FIRST_SCREEN);
    const [first, second] = fitted.embeds;
    expect(first!.description).toMatch(/plainly\. …$/);
    expect(first!.fields![1]!.value).toBe(linked);
    // Only the first screen is cut: what follows it is left as it was.
    expect(second).toEqual(message.embeds[1]);
  });

  it("leaves a reply that already fits as it is", () => {
    const message = { embeds: [{ title: "Short", description: sentence }] };
    expect(fitFirstScreen(message)).toEqual(message);
  });
});

describe("/compare of two licences", () => {
  it("says what each differing condition is, and puts differences both sides confirm first", async () => {
    const reply = await run("compare", { first: "apache-2.0", second: "falcon-180b-tii-license" });
    const fields = reply.embeds?.[0]?.fields ?? [];
    const commercial = fields.find((field) => field.name === "Commercial use")?.value ?? "";
    expect(commercial).toMatch(/Falcon-180B TII License\*\*: ⚠️ yes, with conditions: .*acceptable use policy/);
    // Apache's side has nothing to heed: its verdict alone.
    expect(commercial).toMatch(/Apache-2\.0\*\*: ✅ yes\n/);
    const labels = fields.map((field) => field.name);
    expect(labels.indexOf("Use policy")).toBeGreaterThan(-1);
    expect(labels).not.toContain("Modify and fine-tune");
  });
});
