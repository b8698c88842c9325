/**
 * Proves the fake Discord against the real discord.js client: login, interactions, messages,
 * threads, command registration, faults and gateway resume. If these pass, bot tests built on the
 * fake exercise discord.js's real REST and gateway code paths.
 */
import { once } from "node:events";
import {
  ApplicationCommandOptionType,
  ChannelType,
  type ChatInputApplicationCommandData,
  Client,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  type Interaction,
  PermissionFlagsBits,
  REST,
  Routes,
  type TextChannel,
} from "discord.js";
import { describe, expect, onTestFinished, test } from "vitest";
import { FakeDiscord, type FakeDiscordOptions, ids, option } from "./fake-discord/index.ts";

const TOKEN = "fake.bot.token";

/** A fake plus a logged-in client, both shut down when the test finishes. */
async function setup(
  options: FakeDiscordOptions = {},
  rest: ClientOptions["rest"] = {},
): Promise<{ fake: FakeDiscord; client: Client }> {
  const fake = await FakeDiscord.start(options);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.apiBase, retries: 0, timeout: 2000, ...rest },
    waitGuildTimeout: 500,
  });
  onTestFinished(async () => {
    await client.destroy();
    await fake.stop();
  });
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(5000) });
  await client.login(TOKEN);
  await ready;
  expect(fake.internalErrors).toEqual([]);
  return { fake, client };
}

/** Runs `handler` for the next interaction and surfaces its error in the test instead of the void. */
function handleNext(client: Client, handler: (interaction: Interaction) => Promise<unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handler(interaction).then(resolve, reject);
    });
  });
}

describe("FakeDiscord with the real discord.js client", () => {
  test("login reaches clientReady with the guild, channels and threads cached", async () => {
    const { fake, client } = await setup();

    expect(client.user?.id).toBe(ids.bot);
    expect(client.application?.id).toBe(ids.application);
    const guild = client.guilds.cache.get(ids.guild);
    expect(guild?.available).toBe(true);
    expect(guild?.members.me?.id).toBe(ids.bot);
    expect(client.channels.cache.get(ids.textChannel)?.type).toBe(ChannelType.GuildText);
    expect(client.channels.cache.get(ids.announcementChannel)?.type).toBe(ChannelType.GuildAnnouncement);
    expect(client.channels.cache.get(ids.forum)?.type).toBe(ChannelType.GuildForum);
    expect(client.channels.cache.get(ids.thread)?.type).toBe(ChannelType.PublicThread);
    expect(client.channels.cache.get(ids.privateThread)?.type).toBe(ChannelType.PrivateThread);
    const forumPost = client.channels.cache.get(ids.forumPost);
    expect(forumPost?.isThread() && forumPost.parentId).toBe(ids.forum);

    expect(fake.requests[0]).toMatchObject({ method: "GET", path: "/gateway/bot", status: 200 });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bot ${TOKEN}`);
    const sentOps = fake.gatewayFrames
      .filter((frame) => frame.direction === "sent")
      .map((frame) => frame.t ?? frame.op);
    expect(sentOps.slice(0, 3)).toEqual([10, "READY", "GUILD_CREATE"]);
  });

  test("a slash command answered with reply() records callback type 4 with typed options", async () => {
    const { fake, client } = await setup();
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error(`unexpected ${interaction.type}`);
      const who = interaction.options.getUser("who", true);
      const where = interaction.options.getChannel("where", true);
      const count = interaction.options.getInteger("count", true);
      await interaction.reply(`${interaction.options.getString("model")} for ${who.username} in ${where.id} x${count}`);
      return interaction;
    });

    const sent = fake.chatInput(
      "ask",
      { model: "llama", who: option.user(ids.admin), where: option.channel(ids.thread), count: 3 },
      { channelId: ids.textChannel, userId: ids.user },
    );
    const callback = await fake.callbackFor(sent.id);
    const interaction = (await handled) as Interaction;

    expect(callback.status).toBe(204);
    expect(callback.query.with_response).toBe("false");
    expect(callback.headers.authorization).toBeUndefined();
    expect(callback.body.type).toBe(4);
    expect(callback.body.data?.content).toBe(`llama for adam in ${ids.thread} x3`);
    expect(interaction.channelId).toBe(ids.textChannel);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(fake.interaction(sent.id)?.original?.content).toBe(`llama for adam in ${ids.thread} x3`);
    expect(fake.messagesIn(ids.textChannel)).toHaveLength(1);
  });

  test("the admin has Manage Guild and a subcommand arrives as one", async () => {
    const { fake, client } = await setup();
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("expected a chat input");
      await interaction.reply({ content: interaction.options.getSubcommand(), withResponse: true });
      return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild);
    });

    const sent = fake.chatInput("admin", { enabled: true }, { userId: ids.admin, subcommand: "reload" });

    expect(await handled).toBe(true);
    const callback = await fake.callbackFor(sent.id);
    expect(callback.query.with_response).toBe("true");
    expect(callback.status).toBe(200);
  });

  test("autocomplete.respond() records callback type 8 with the choices", async () => {
    const { fake, client } = await setup();
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error("expected autocomplete");
      const typed = interaction.options.getFocused();
      await interaction.respond(
        ["apple", "apricot"].filter((fruit) => fruit.startsWith(typed)).map((name) => ({ name, value: name })),
      );
    });

    const sent = fake.autocomplete("fruit", { name: "ap", colour: "red" }, { focused: "name" });
    await handled;
    const callback = await fake.callbackFor(sent.id);

    expect(callback.body).toEqual({
      type: 8,
      data: {
        choices: [
          { name: "apple", value: "apple" },
          { name: "apricot", value: "apricot" },
        ],
      },
    });
  });

  test("deferReply() then editReply() patches @original", async () => {
    const { fake, client } = await setup();
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("expected a chat input");
      await interaction.deferReply();
      return interaction.editReply("done thinking");
    });

    const sent = fake.chatInput("slow");
    const reply = await handled;

    expect((await fake.callbackFor(sent.id)).body.type).toBe(5);
    const edit = await fake.waitForRequest({
      method: "PATCH",
      path: `/webhooks/${ids.application}/${sent.token}/messages/@original`,
    });
    expect(edit.body).toMatchObject({ content: "done thinking" });
    expect(reply).toMatchObject({ content: "done thinking" });
    expect(fake.interaction(sent.id)?.original).toMatchObject({ content: "done thinking", flags: 0 });
  });

  test("channel.send() with an enforced nonce twice returns the same message", async () => {
    const { fake, client } = await setup();
    const channel = client.channels.cache.get(ids.textChannel) as TextChannel;

    const first = await channel.send({ content: "hello", nonce: "retry-1", enforceNonce: true });
    const second = await channel.send({ content: "hello", nonce: "retry-1", enforceNonce: true });
    const third = await channel.send({ content: "hello", nonce: "retry-2", enforceNonce: true });

    expect(second.id).toBe(first.id);
    expect(third.id).not.toBe(first.id);
    expect(fake.messagesIn(ids.textChannel).map((message) => message.id)).toEqual([first.id, third.id]);
    expect(first.author.id).toBe(ids.bot);
  });

  test("message.startThread() creates a public thread under the channel", async () => {
    const { fake, client } = await setup();
    const channel = client.channels.cache.get(ids.textChannel) as TextChannel;
    const message = await channel.send("Which licence?");

    const thread = await message.startThread({ name: "discussion", autoArchiveDuration: 60 });
    await thread.send("inside");

    const created = await fake.waitForRequest({
      method: "POST",
      path: `/channels/${ids.textChannel}/messages/${message.id}/threads`,
    });
    expect(created.status).toBe(201);
    expect(thread.id).toBe(message.id);
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(ids.textChannel);
    expect(fake.threadsCreated().map((created) => created.id)).toEqual([thread.id]);
    expect(fake.messagesIn(thread.id).map((sent) => sent.content)).toEqual(["inside"]);
  });

  // Interaction callbacks go through @discordjs/rest's burst handler: it sleeps Retry-After and
  // retries (429s ignore `retries`), but emits only restDebug, not the rateLimited event.
  test("a 429 with Retry-After 0.2 on a callback is waited out and retried (even with retries: 0)", async () => {
    const { fake, client } = await setup();
    const rateLimitDebug: string[] = [];
    client.rest.on("restDebug", (line) => {
      if (line.includes("429")) rateLimitDebug.push(line);
    });
    const sent = fake.build.chatInput("ping", {});
    fake.failNext({ method: "POST", path: /\/callback$/, status: 429, retryAfter: 0.2 });
    const handled = handleNext(client, async (interaction) => {
      if (interaction.isRepliable()) await interaction.reply("pong");
    });

    const started = Date.now();
    fake.dispatch("INTERACTION_CREATE", sent);
    await handled;

    const attempts = fake.requests.filter((request) => request.path.startsWith(`/interactions/${sent.id}/`));
    expect(attempts.map((request) => request.status)).toEqual([429, 204]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(rateLimitDebug.join("\n")).toMatch(/Retry After\s+: 2\d\dms/);
  });

  test("a 500 surfaces as HTTPError and a 403 as DiscordAPIError 50013", async () => {
    const { fake, client } = await setup();
    const channel = client.channels.cache.get(ids.textChannel) as TextChannel;

    fake.failNext({ method: "POST", path: `/channels/${ids.textChannel}/messages`, status: 500 });
    const serverError = await channel.send("boom").catch((error: unknown) => error);
    expect(serverError).toBeInstanceOf(HTTPError);
    expect((serverError as HTTPError).status).toBe(500);

    fake.failNext({ path: `/channels/${ids.textChannel}/messages`, status: 403 });
    const forbidden = await channel.send("nope").catch((error: unknown) => error);
    expect(forbidden).toBeInstanceOf(DiscordAPIError);
    expect((forbidden as DiscordAPIError).code).toBe(50013);

    expect((await channel.send("fine")).content).toBe("fine");
    expect(fake.requests.filter((request) => request.method === "POST").map((request) => request.status)).toEqual([
      500, 403, 200,
    ]);
  });

  test("a channel overwrite denying the bot Send Messages shows in app_permissions and in REST", async () => {
    const { fake, client } = await setup({
      permissionOverwrites: [{ channelId: ids.announcementChannel, deny: PermissionFlagsBits.SendMessages }],
    });
    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("expected a chat input");
      const canSend = interaction.appPermissions.has(PermissionFlagsBits.SendMessages);
      await interaction.reply({ content: String(canSend) });
      return canSend;
    });

    fake.chatInput("where", {}, { channelId: ids.announcementChannel });
    expect(await handled).toBe(false);

    const channel = client.channels.cache.get(ids.announcementChannel) as TextChannel;
    expect(channel.permissionsFor(ids.bot)?.has(PermissionFlagsBits.SendMessages)).toBe(false);
    const error = await channel.send("x").catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(50013);
  });

  test("dropGateway() makes discord.js RESUME, and a later interaction is still answered", async () => {
    const { fake, client } = await setup();

    await fake.dropGateway();
    const queued = fake.chatInput("after-drop");
    const handled = handleNext(client, async (interaction) => {
      if (interaction.isRepliable()) await interaction.reply("still here");
    });

    const resume = await fake.waitForGatewayFrame({ direction: "received", op: 6 });
    expect(resume.d).toMatchObject({ session_id: expect.any(String), seq: expect.any(Number) });
    await fake.waitForGatewayFrame({ direction: "sent", t: "RESUMED" });
    await handled;
    expect((await fake.callbackFor(queued.id)).body.type).toBe(4);

    const identifies = fake.gatewayFrames.filter((frame) => frame.direction === "received" && frame.op === 2);
    expect(identifies).toHaveLength(1);
    const sequences = fake.gatewayFrames.flatMap((frame) => (frame.s ? [frame.s] : []));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  test("PUT commands returns ids, and slash commands then carry the registered id", async () => {
    const { fake, client } = await setup();
    const definitions: ChatInputApplicationCommandData[] = [
      {
        name: "ask",
        description: "Ask about a model",
        options: [
          { name: "model", description: "Model name", type: ApplicationCommandOptionType.String, required: true },
        ],
      },
      { name: "licence", description: "Look up a licence" },
    ];

    const global = await client.application?.commands.set(definitions);
    const inGuild = await client.application?.commands.set(definitions, ids.guild);

    expect(global?.size).toBe(2);
    expect([...(global?.values() ?? [])].every((command) => /^\d{17,19}$/.test(command.id))).toBe(true);
    expect(inGuild?.first()?.guildId).toBe(ids.guild);
    expect(fake.commands().map((command) => command.name)).toEqual(["ask", "licence"]);
    expect(fake.commands(ids.guild)).toHaveLength(2);
    const listed = await new REST({ api: fake.apiBase })
      .setToken(TOKEN)
      .get(Routes.applicationCommands(ids.application));
    expect(listed).toHaveLength(2);

    const handled = handleNext(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error("expected a chat input");
      await interaction.reply("ok");
      return interaction.commandId;
    });
    fake.chatInput("ask", { model: "mistral" });
    expect(await handled).toBe(fake.commands(ids.guild)[0]?.id);
  });

  test("invalid command definitions get Discord's 50035 error", async () => {
    const { client } = await setup();
    const error = await client.application?.commands
      .set([{ name: "Ask Me", description: "" }])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
  });

  test("channelDelete() removes the channel for discord.js and for REST", async () => {
    const { fake, client } = await setup();
    const deleted = once(client, Events.ChannelDelete, { signal: AbortSignal.timeout(2000) });

    fake.channelDelete(ids.announcementChannel);
    await deleted;

    expect(client.channels.cache.has(ids.announcementChannel)).toBe(false);
    const error = await client.channels.fetch(ids.announcementChannel).catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(10003);
  });

  test("a malformed interaction is dropped by discord.js without taking the client down", async () => {
    const { fake, client } = await setup();
    const malformed = fake.build.chatInput("broken", {});
    const { type: _missing, ...dataWithoutType } = malformed.data;
    fake.dispatch("INTERACTION_CREATE", { ...malformed, data: dataWithoutType });

    const handled = handleNext(client, async (interaction) => {
      if (interaction.isRepliable()) await interaction.reply("fine");
      return interaction.id;
    });
    const healthy = fake.chatInput("healthy");
    expect(await handled).toBe(healthy.id);
  });

  test("a hung request times out in the client and stop() still returns promptly", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    fake.failNext({ method: "GET", path: `/channels/${ids.textChannel}`, hang: true });
    const rest = new REST({ api: fake.apiBase, timeout: 300, retries: 0 }).setToken(TOKEN);

    const error = await rest.get(Routes.channel(ids.textChannel)).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe("AbortError");
    expect(fake.requests[0]?.status).toBeNull();

    const missing = await rest.get(Routes.channel("1234567890123456789")).catch((caught: unknown) => caught);
    expect((missing as DiscordAPIError).code).toBe(10003);
    const unknownRoute = await rest.get("/nothing/here" as `/${string}`).catch((caught: unknown) => caught);
    expect((unknownRoute as DiscordAPIError).rawError).toEqual({ message: "404: Not Found", code: 0 });
  });
});
