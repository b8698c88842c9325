import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ids, option, Permission } from "../fake-discord/index.ts";
import { callbackData, startHarness, TEST_TOKEN } from "../helpers/bot-harness.ts";
import { copyOfContent } from "../helpers/content-fixture.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const REPLY = 4;
const AUTOCOMPLETE = 8;
const EPHEMERAL = 64;

/**
 * The same answers whichever way Discord delivers the interaction: over the gateway, or POSTed to
 * the Interactions Endpoint (signed) and answered in the HTTP response, with no gateway at all.
 */
const TRANSPORTS = [
  { name: "gateway", options: {} },
  { name: "HTTP interactions", options: { http: "only" as const } },
];

describe.each(TRANSPORTS)("over $name", (transport) => {
  describe("each command, as Discord receives its reply", () => {
    it.each([
      ["license", { name: "llama" }, "Llama: licences by version"],
      ["license", { name: "llama3.1" }, "Llama 3.1 Community License Agreement"],
      ["family", { name: "qwen" }, "Qwen"],
      ["term", { name: "moe" }, "Mixture of experts"],
      ["ask", { question: "is olmo fully open" }, "OLMo"],
      ["compare", { first: "llama", second: "qwen" }, "Llama vs Qwen"],
      ["help", {}, "Stackbot: answers from The Open-Source AI Stack"],
      ["fit", { model: "qwen3-30b-a3b", hardware: "nvidia-rtx-4090" }, "Qwen3-30B-A3B on NVIDIA GeForce RTX 4090"],
    ] as const)("/%s %j", async (command, options, title) => {
      const { fake } = await startHarness(transport.options);
      const { id } = fake.chatInput(command, options);
      const body = await callbackData(fake, id);
      expect(body.type).toBe(REPLY);
      expect(body.data?.embeds[0].title).toBe(title);
      expect(body.data?.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
    });
  });

  describe("interactions", () => {
    it("autocomplete gives ranked choices with canonical ids, at most 25", async () => {
      const { fake } = await startHarness(transport.options);
      const typed = fake.autocomplete("license", { name: "llama 3" });
      const body = await callbackData(fake, typed.id);
      expect(body.type).toBe(AUTOCOMPLETE);
      const choices = body.data?.choices as { name: string; value: string }[];
      expect(choices.length).toBeGreaterThan(0);
      expect(choices.length).toBeLessThanOrEqual(25);
      expect(choices[0]!.value).toMatch(/^llama-3/);
      const empty = await callbackData(fake, fake.autocomplete("term", { name: "" }).id);
      expect((empty.data!.choices as unknown[]).length).toBeGreaterThan(5);
    });

    it("/fit autocompletes hardware by short name, answers fits-or-not first, and refuses unknown hardware privately", async () => {
      const { fake } = await startHarness(transport.options);
      const suggested = await callbackData(
        fake,
        fake.autocomplete("fit", { model: "qwen3", hardware: "4090" }, { focused: "hardware" }).id,
      );
      expect((suggested.data!.choices as { value: string }[])[0]?.value).toBe("nvidia-rtx-4090");
      const answer = await callbackData(
        fake,
        fake.chatInput("fit", { model: "llama 3.3 70b", hardware: "4090", units: 2 }).id,
      );
      expect(answer.data?.embeds[0].description).toMatch(/^✅ \*\*Yes, it fits/);
      // A mixture of experts with a measured figure beside the estimate; a no-fit with what would fit.
      const moe = await callbackData(fake, fake.chatInput("fit", { model: "qwen3-30b-a3b", hardware: "4090" }).id);
      expect(moe.data?.embeds[0].description).toMatch(/all 30B parameters must be loaded/);
      const measured = await callbackData(fake, fake.chatInput("fit", { model: "llama-3-8b", hardware: "4090" }).id);
      expect(measured.data?.embeds[0].description).toMatch(/\*\*Measured:\*\* 128 tokens\/s/);
      const noFit = await callbackData(fake, fake.chatInput("fit", { model: "llama-3-3-70b", hardware: "4090" }).id);
      expect(noFit.data?.embeds[0].description).toMatch(
        /^⛔ \*\*No, it does not fit[\s\S]*\*\*What would fit:\*\* .*2 × NVIDIA GeForce RTX 4090/,
      );
      const asked = await callbackData(
        fake,
        fake.chatInput("ask", { question: "can i run llama 3.3 70b on a 4090?" }).id,
      );
      expect(asked.data?.embeds[0].description).toMatch(/^⛔ \*\*No, it does not fit/);
      expect(JSON.stringify(asked.data).length).toBeLessThan(6000);
      const refused = await callbackData(fake, fake.chatInput("fit", { model: "70b", hardware: "toaster" }).id);
      expect((refused.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      expect(refused.data?.content).toMatch(/I don't know the hardware/);
    });

    it("hide answers privately; mention addresses one user and may ping only them", async () => {
      const { fake } = await startHarness(transport.options);
      const hidden = await callbackData(fake, fake.chatInput("term", { name: "moe", hide: true }).id);
      expect(hidden.data?.flags).toBe(EPHEMERAL);
      const addressed = await callbackData(
        fake,
        fake.chatInput("term", { name: "gguf", mention: option.user(ids.admin) }).id,
      );
      expect(addressed.data?.content).toContain(`<@${ids.admin}>`);
      expect(addressed.data?.allowed_mentions).toEqual({ parse: [], users: [ids.admin], replied_user: false });
    });

    it("no match offers a did-you-mean menu; picking an entry answers it publicly", async () => {
      const { fake } = await startHarness(transport.options);
      const asked = await callbackData(fake, fake.chatInput("license", { name: "deepseek-v" }).id);
      expect(asked.data?.flags).toBe(EPHEMERAL);
      const menu = asked.data?.components[0].components[0];
      expect(menu.custom_id).toBe("license:p:");
      const picked = await callbackData(fake, fake.select(menu.custom_id, ["deepseek-license"]).id);
      expect(picked.type).toBe(REPLY);
      expect(picked.data?.flags ?? 0).toBe(0);
      expect(picked.data?.embeds[0].title).toMatch(/DeepSeek License/);
    });

    it("a related-term button answers that term, privately for whoever clicked", async () => {
      const { fake } = await startHarness(transport.options);
      const term = await callbackData(fake, fake.chatInput("term", { name: "qlora" }).id);
      const button = term.data?.components[0].components[0];
      expect(button.custom_id).toMatch(/^term:e:/);
      const clicked = await callbackData(fake, fake.button(button.custom_id).id);
      expect(clicked.data?.embeds[0].title).toBe(button.label);
      expect(clicked.data?.flags).toBe(EPHEMERAL);
    });

    it("the family button on /license and the licence button on /family", async () => {
      const { fake } = await startHarness(transport.options);
      const licence = await callbackData(fake, fake.chatInput("license", { name: "llama-4" }).id);
      const familyButton = licence.data?.components[0].components.find(
        (c: { custom_id?: string }) => c.custom_id === "family:e:llama",
      );
      expect(familyButton).toBeDefined();
      const family = await callbackData(fake, fake.button(familyButton.custom_id).id);
      expect(family.data?.embeds[0].title).toBe("Llama");
      const licenceButton = family.data?.components[0].components.find((c: { custom_id?: string }) =>
        /^license:e:llama-/.test(c.custom_id ?? ""),
      );
      expect(licenceButton).toBeDefined();
    });

    it("a detail button sends every clause answer to the person who clicked", async () => {
      const { fake } = await startHarness(transport.options);
      const card = await callbackData(fake, fake.chatInput("license", { name: "llama-3.1" }).id);
      const clausesButton = card.data?.components[0].components.find(
        (c: { custom_id?: string }) => c.custom_id === "license:e:llama-3.1:clauses",
      );
      expect(clausesButton).toBeDefined();
      const details = await callbackData(fake, fake.button(clausesButton.custom_id).id);
      expect(details.data?.flags).toBe(EPHEMERAL);
      expect(details.data?.embeds[0].title).toMatch(/clause by clause/);
      expect(details.data?.embeds[0].fields).toHaveLength(12);
    });

    it("/ask answers a clause question with its verdict first, and says so when it does not know", async () => {
      const { fake } = await startHarness(transport.options);
      const clause = await callbackData(
        fake,
        fake.chatInput("ask", { question: "can I train another model on Llama 2 outputs?" }).id,
      );
      expect(clause.data?.embeds[0].description).toMatch(/^⛔ \*\*No/);
      const unknown = await callbackData(fake, fake.chatInput("ask", { question: "what's the weather in Paris?" }).id);
      expect((unknown.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      expect(unknown.data?.content).toMatch(/outside what I know/);
      expect(unknown.data?.embeds ?? []).toHaveLength(0);
    });

    it("the same answer twice in a channel is not posted again; the asker is pointed to it", async () => {
      const { fake } = await startHarness(transport.options);
      await callbackData(fake, fake.chatInput("term", { name: "lora" }).id);
      const again = await callbackData(fake, fake.chatInput("term", { name: "LoRA" }, { userId: ids.admin }).id);
      expect(again.data?.flags).toBe(EPHEMERAL);
      expect(again.data?.content).toMatch(/posted in this channel moments ago: https:\/\/discord.com\/channels\//);
      const elsewhere = await callbackData(
        fake,
        fake.chatInput("term", { name: "lora" }, { channelId: ids.announcementChannel }).id,
      );
      expect(elsewhere.data?.embeds[0].title).toBe("LoRA");
    });

    it("two people asking the same thing at once get one public copy between them", async () => {
      const { fake } = await startHarness(transport.options);
      const first = fake.chatInput("term", { name: "moe" }).id;
      const second = fake.chatInput("term", { name: "MoE" }, { userId: ids.admin }).id;
      const replies = await Promise.all([callbackData(fake, first), callbackData(fake, second)]);
      const publicCopies = replies.filter((reply) => reply.data?.flags !== EPHEMERAL);
      expect(publicCopies).toHaveLength(1);
      expect(replies.find((reply) => reply.data?.flags === EPHEMERAL)?.data?.content).toMatch(/moments ago/);
    });
  });

  describe("threads and forums", () => {
    it("/ask thread:true posts the answer and opens a thread on it, named after the question", async () => {
      const { fake } = await startHarness(transport.options);
      const question = "what does the llama 4 licence say about the EU and multimodal models";
      const { id } = fake.chatInput("ask", { question, thread: true });
      const thread = await fake.waitForRequest<{ name: string }>({
        method: "POST",
        path: /^\/channels\/\d+\/messages\/\d+\/threads$/,
      });
      expect(thread.body.name).toBe(question);
      expect(thread.path).toContain(`/channels/${ids.textChannel}/`);
      const created = fake.threadsCreated().at(-1);
      expect(created?.parent_id).toBe(ids.textChannel);
      expect(fake.interaction(id)?.original?.id).toBe(created?.id);
    });

    it("/ask thread:true without permission to create threads says so privately", async () => {
      const { fake } = await startHarness({
        ...transport.options,
        fake: { permissionOverwrites: [{ channelId: ids.textChannel, deny: Permission.CreatePublicThreads }] },
      });
      const { id } = fake.chatInput("ask", { question: "is gemma open", thread: true });
      const followUp = await fake.waitForRequest<{ content: string; flags: number }>({
        method: "POST",
        path: /^\/webhooks\//,
      });
      expect(followUp.body.content).toMatch(/Create Public Threads/);
      expect(followUp.body.flags).toBe(EPHEMERAL);
      expect((await callbackData(fake, id)).data?.embeds[0].title).toBe("Gemma");
    });

    it.each([
      ["a public thread", ids.thread],
      ["a private thread", ids.privateThread],
      ["a forum post", ids.forumPost],
      ["an announcement channel", ids.announcementChannel],
    ])("commands work in %s and answer there", async (_, channelId) => {
      const { fake } = await startHarness(transport.options);
      const { id } = fake.chatInput("family", { name: "kimi" }, { channelId });
      const body = await callbackData(fake, id);
      expect(body.data?.embeds[0].title).toBe("Kimi");
      expect(fake.messagesIn(channelId).some((message) => message.embeds[0]?.title === "Kimi")).toBe(true);
    });
  });
});

describe("failures", () => {
  it("a 429 on a reply is waited out, then the reply succeeds", async () => {
    const { fake } = await startHarness();
    fake.failNext({ method: "POST", path: /\/callback$/, status: 429, retryAfter: 0.2 });
    const { id } = fake.chatInput("term", { name: "gptq" });
    const attempts = async () => fake.requests.filter((request) => request.path.startsWith(`/interactions/${id}/`));
    await expect
      .poll(async () => (await attempts()).map((request) => request.status), { timeout: 5000 })
      .toEqual([429, 200]);
  });

  it("a 500 on a reply is logged with an error id, and the next interaction is still answered", async () => {
    const { fake, logs } = await startHarness();
    fake.failNext({ method: "POST", path: /\/callback$/, status: 500, times: 4 });
    fake.chatInput("term", { name: "awq" });
    await expect
      .poll(
        () => logs.find((line) => line.msg === "interaction failed" || line.msg === "could not send the error reply"),
        { timeout: 5000 },
      )
      .toBeTruthy();
    const next = await callbackData(fake, fake.chatInput("term", { name: "nf4" }).id);
    expect(next.data?.embeds[0].title).toBe("NF4");
  });

  it("after a gateway drop the bot resumes and answers again", async () => {
    const { fake } = await startHarness();
    await fake.dropGateway();
    await fake.waitForGatewayFrame({ direction: "received", op: 6 }, 5000);
    const body = await callbackData(fake, fake.chatInput("term", { name: "dpo" }).id);
    expect(body.data?.embeds[0].title).toBe("DPO");
  });

  it("a malformed interaction does not crash the bot", async () => {
    const { fake } = await startHarness();
    fake.dispatch("INTERACTION_CREATE", { id: "123456789012345699", type: 2, data: { name: "term" } });
    fake.dispatch("INTERACTION_CREATE", {
      ...fake.build.chatInput("term", { name: "moe" }),
      data: { name: "term", type: 1, options: [{ name: "name", type: 3, value: 42 }] },
    });
    const body = await callbackData(fake, fake.chatInput("term", { name: "rlhf" }).id);
    expect(body.data?.embeds[0].title).toBe("RLHF");
  });

  it("an expired interaction is logged quietly", async () => {
    const { fake, logs } = await startHarness();
    fake.failNext({
      method: "POST",
      path: /\/callback$/,
      status: 404,
      body: { message: "Unknown interaction", code: 10062 },
    });
    fake.chatInput("term", { name: "peft" });
    await expect.poll(() => logs.find((line) => line.outcome === "expired"), { timeout: 5000 }).toBeTruthy();
    expect(logs.lines.filter((line) => (line.level as number) >= 50)).toEqual([]);
  });

  it("the token never appears in a log line", async () => {
    const { fake, logs } = await startHarness();
    await callbackData(fake, fake.chatInput("term", { name: "moe" }).id);
    await expect
      .poll(() => logs.find((line) => line.msg === "interaction" && line.command === "term"))
      .toMatchObject({ outcome: "answered", kind: "command" });
    expect(logs.raw.join("\n")).not.toContain(TEST_TOKEN);
  });
});

describe("reload", () => {
  it("with broken content: the old answers keep serving and the owner is told", async () => {
    const content = copyOfContent();
    try {
      const { fake } = await startHarness({ contentDir: content.dir });
      content.write("glossary/broken.mdx", "---\nterm: Broken\n---\nno layer, no summary\n");
      const { id } = fake.chatInput("reload", {}, { userId: ids.owner });
      expect((await callbackData(fake, id)).type).toBe(5);
      const edit = await fake.waitForRequest<{ content: string }>({ method: "PATCH", path: /@original$/ });
      expect(edit.body.content).toMatch(/kept serving the previous content/);
      expect(edit.body.content).toContain("broken.mdx");
      const still = await callbackData(fake, fake.chatInput("term", { name: "moe" }).id);
      expect(still.data?.embeds[0].title).toBe("Mixture of experts");
    } finally {
      content.remove();
    }
  });

  it("with good content: new entries are served", async () => {
    const content = copyOfContent();
    try {
      const { fake } = await startHarness({ contentDir: content.dir });
      content.write(
        "glossary/speculative-decoding.mdx",
        '---\nterm: Speculative decoding\nprimary_layer: runtime\nsummary: A small model drafts tokens that a large one checks.\n---\nDrafts are checked in one <G term="inference">inference</G> pass.\n',
      );
      fake.chatInput("reload", {}, { userId: ids.owner });
      const edit = await fake.waitForRequest<{ content: string }>({ method: "PATCH", path: /@original$/ });
      expect(edit.body.content).toMatch(/^Reloaded/);
      const fresh = await callbackData(fake, fake.chatInput("term", { name: "speculative decoding" }).id);
      expect(fresh.data?.embeds[0].title).toBe("Speculative decoding");
    } finally {
      content.remove();
    }
  });

  it("a non-owner's /reload is refused", async () => {
    const { fake } = await startHarness();
    fake.chatInput("reload", {}, { userId: ids.user });
    const edit = await fake.waitForRequest<{ content: string; flags?: number }>({
      method: "PATCH",
      path: /@original$/,
    });
    expect(edit.body.content).toBe("Only the bot's owners can reload its content.");
  });
});

describe("operations", () => {
  it("npm start without a token names what to set and exits 1", async () => {
    const result = await run("npm", ["start"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("DISCORD_TOKEN is required");
    expect(result.stderr).toContain("developers/applications");
  });
});
