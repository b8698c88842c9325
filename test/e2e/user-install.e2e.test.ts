import { describe, expect, it } from "vitest";
import { ids } from "../fake-discord/index.ts";
import { callbackData, startHarness } from "../helpers/bot-harness.ts";

const EPHEMERAL = 64;
/** A server the bot is not in: only a user's install reaches it. */
const OTHER_GUILD = "999888777666555444";
const OTHER_CHANNEL = "999888777666555445";
const DM_CHANNEL = "999888777666555446";
const USER = { id: ids.user, username: "member", discriminator: "0", global_name: "Member", avatar: null };

type Built = Record<string, unknown> & { id: string; token: string; data: Record<string, unknown> };

/** The same interaction, as Discord sends it where the app was installed by the user, not by the server. */
function inOtherServer(built: Built): Built {
  const { guild: _guild, member, ...rest } = built as Built & { member: Record<string, unknown> };
  return {
    ...rest,
    guild_id: OTHER_GUILD,
    channel_id: OTHER_CHANNEL,
    channel: { id: OTHER_CHANNEL, type: 0, guild_id: OTHER_GUILD, name: "general" },
    member: { ...member, user: USER, permissions: "2248473465835073" },
    app_permissions: "2248473465835073",
    authorizing_integration_owners: { 1: ids.user },
    context: 0,
  };
}

/** The same interaction in the bot's DM with the user. */
function inDm(built: Built): Built {
  const { guild: _guild, member: _member, guild_id: _guildId, guild_locale: _locale, ...rest } = built;
  return {
    ...rest,
    channel_id: DM_CHANNEL,
    channel: { id: DM_CHANNEL, type: 1, recipients: [USER] },
    user: USER,
    authorizing_integration_owners: { 1: ids.user },
    context: 1,
  };
}

function messageCommand(base: Built, content: string, attachments: unknown[] = []): Built {
  const messageId = "1300000000000000001";
  return {
    ...base,
    data: {
      id: "1300000000000000999",
      name: "Explain with Stackbot",
      type: 3,
      target_id: messageId,
      resolved: {
        messages: {
          [messageId]: {
            id: messageId,
            channel_id: (base.channel_id as string) ?? ids.textChannel,
            content,
            author: { ...USER, id: ids.admin, username: "admin" },
            timestamp: "2026-11-29T09:00:00.000000+00:00",
            edited_timestamp: null,
            tts: false,
            mention_everyone: false,
            mentions: [],
            mention_roles: [],
            attachments,
            embeds: [],
            pinned: false,
            type: 0,
          },
        },
      },
    },
  };
}

describe("installed by a user", () => {
  it("answers in a server without the bot, and explains why it cannot open a thread there", async () => {
    const { fake } = await startHarness();
    const built = inOtherServer(
      fake.build.chatInput("ask", { question: "can I fine-tune llama 3.1?", thread: true }) as unknown as Built,
    );
    fake.dispatch("INTERACTION_CREATE", built);
    const body = await callbackData(fake, built.id);
    expect(body.data?.embeds[0].title).toMatch(/Llama 3\.1/);
    const followUp = await fake.waitForRequest<{ content: string; flags: number }>({
      method: "POST",
      path: /^\/webhooks\//,
    });
    expect(followUp.body.content).toMatch(/installed for you, not for this server/);
    expect(followUp.body.flags).toBe(EPHEMERAL);
    expect(fake.requests.some((request) => request.path.includes("/threads"))).toBe(false);
  });

  it("gives no duplicate-answer notice where it cannot see the channel", async () => {
    const { fake } = await startHarness();
    for (let attempt = 0; attempt < 2; attempt++) {
      const built = inOtherServer(fake.build.chatInput("term", { name: "lora" }) as unknown as Built);
      fake.dispatch("INTERACTION_CREATE", built);
      const body = await callbackData(fake, built.id);
      expect(body.data?.embeds[0].title).toBe("LoRA");
    }
  });

  it("answers in a DM", async () => {
    const { fake } = await startHarness();
    const built = inDm(fake.build.chatInput("license", { name: "apache-2.0" }) as unknown as Built);
    fake.dispatch("INTERACTION_CREATE", built);
    const body = await callbackData(fake, built.id);
    expect(body.data?.embeds[0].title).toBe("Apache License, Version 2.0");
  });
});

describe("Explain with Stackbot", () => {
  it("lists what a message names, privately, and flags an 'open source' claim the content contradicts", async () => {
    const { fake } = await startHarness();
    const built = messageCommand(
      fake.build.chatInput("help", {}) as unknown as Built,
      "just ship it on Llama 3, it's open source. Or Qwen3 with LoRA.",
    );
    fake.dispatch("INTERACTION_CREATE", built);
    const body = await callbackData(fake, built.id);
    expect(body.data?.flags).toBe(EPHEMERAL);
    const description = String(body.data?.embeds[0].description);
    expect(description).toMatch(
      /calls .*Llama 3.* open source; .* source-available, with restrictions, not OSI-approved/,
    );
    expect(description).toMatch(/\*\*Qwen\*\*/);
    expect(description).toMatch(/\*\*LoRA\*\*/);
    expect(body.data?.components[0].components.length).toBe(3);
  });

  it("says so when a message names nothing it knows, and handles an attachment-only message", async () => {
    const { fake } = await startHarness();
    for (const [content, attachments] of [
      ["what a lovely day", []],
      [
        "",
        [
          {
            id: "1",
            filename: "photo.png",
            size: 10,
            url: "https://cdn.example/photo.png",
            proxy_url: "https://cdn.example/photo.png",
          },
        ],
      ],
    ] as const) {
      const built = messageCommand(fake.build.chatInput("help", {}) as unknown as Built, content, [...attachments]);
      fake.dispatch("INTERACTION_CREATE", built);
      const body = await callbackData(fake, built.id);
      expect(body.data?.content).toMatch(/found no licence, model family, model or glossary term/);
    }
  });

  it("keeps hostile text inert and caps a very long message, in a DM too", async () => {
    const { fake } = await startHarness();
    const hostile = `@everyone <@&${ids.adminRole}> **Gemma** ||spoiler|| ${"GGUF ".repeat(900)}`;
    const built = messageCommand(inDm(fake.build.chatInput("help", {}) as unknown as Built), hostile);
    fake.dispatch("INTERACTION_CREATE", built);
    const body = await callbackData(fake, built.id);
    expect(body.data?.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
    const description = String(body.data?.embeds[0].description);
    expect(description).toMatch(/\*\*Gemma\*\*/);
    expect(description).toMatch(/Only the start of a long message was read/);
  });
});
