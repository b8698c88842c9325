import { generateKeyPairSync } from "node:crypto";
import { type AddressInfo, connect } from "node:net";
import { describe, expect, it } from "vitest";
import { MAX_INTERACTION_BYTES } from "../../src/bot/interactions-server.ts";
import { BotMetrics } from "../../src/bot/metrics.ts";
import { ids, option, Permission } from "../fake-discord/index.ts";
import { callbackData, startHarness } from "../helpers/bot-harness.ts";

const EPHEMERAL = 64;

async function httpOnly(options: Parameters<typeof startHarness>[0] = {}) {
  const harness = await startHarness({ http: "only", ...options });
  const { port } = harness.bot.interactionsServer!.address() as AddressInfo;
  return { ...harness, base: `http://127.0.0.1:${port}` };
}

describe("the Interactions Endpoint (GATEWAY=off)", () => {
  it("holds no gateway connection and answers PING with PONG", async () => {
    const { fake } = await httpOnly();
    expect(fake.gatewayFrames).toHaveLength(0);
    const ping = await fake.postToEndpoint(
      JSON.stringify({ id: "1", type: 1, token: "t", application_id: ids.application }),
    );
    expect(ping).toEqual({ status: 200, body: { type: 1 } });
  });

  it("a bad, missing, forged or replayed signature gets 401, nothing runs, and the metrics count it", async () => {
    const metrics = new BotMetrics();
    const { fake, logs } = await httpOnly({ metrics });
    const payload = fake.build.chatInput("term", { name: "moe" });
    const body = JSON.stringify(payload);
    const forger = generateKeyPairSync("ed25519").privateKey;
    const refused = await Promise.all([
      fake.postToEndpoint(body, { signature: "00".repeat(64) }),
      fake.postToEndpoint(body, { key: forger }),
      fake.postToEndpoint(body, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
      fake.postToEndpoint(body, { headers: { "x-signature-ed25519": "", "x-signature-timestamp": "" } }),
      // Signed for one body, sent with another.
      fake.postToEndpoint(body.replace("moe", "lora"), { headers: fake.signInteraction(body) }),
    ]);
    expect(refused.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
    expect(refused[2]?.body).toEqual({ error: "invalid request signature (stale)" });
    const counted = await metrics.render();
    expect(counted).toContain('stackbot_interactions_endpoint_refused_total{reason="signature"} 4');
    expect(counted).toContain('stackbot_interactions_endpoint_refused_total{reason="stale"} 1');
    expect(logs.find((line) => line.msg === "interaction")).toBeUndefined();
    expect(fake.requests.filter((request) => request.path.startsWith("/interactions/"))).toEqual([]);
  });

  it("the same signed interaction sent again is answered once, on this instance or another", async () => {
    const metrics = new BotMetrics();
    const first = await httpOnly({ metrics });
    const body = JSON.stringify(first.fake.build.chatInput("term", { name: "moe" }));
    const headers = first.fake.signInteraction(body);
    const answered = await first.fake.postToEndpoint(body, { headers });
    expect(answered.status).toBe(200);
    const again = await first.fake.postToEndpoint(body, { headers });
    expect(again).toEqual({ status: 409, body: { error: "this interaction was already answered" } });
    expect(await metrics.render()).toContain('stackbot_interactions_endpoint_refused_total{reason="replay"} 1');
    // A second instance on the same database refuses it too: the store remembers, not one process.
    const second = await httpOnly({ existingFake: first.fake, dataDir: first.dataDir });
    const elsewhere = await fetch(`${second.base}/interactions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    expect(elsewhere.status).toBe(409);
  });

  it("a client that goes away mid-body is one warning, never an error with an id nobody receives", async () => {
    const { base, logs } = await httpOnly();
    const { hostname, port } = new URL(base);
    await new Promise<void>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => {
        socket.write(
          'POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"id":',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
    });
    await expect
      .poll(() => logs.find((line) => line.msg === "interaction request ended before its body was complete"))
      .toBeTruthy();
    expect(logs.lines.filter((line) => line.level === 50 || line.msg === "interactions endpoint failed")).toEqual([]);
  });

  it("malformed JSON is a clear 400; an oversized body 413; other methods and paths are refused", async () => {
    const { fake, base } = await httpOnly();
    expect(await fake.postToEndpoint("{ not json")).toEqual({
      status: 400,
      body: { error: "the body is not valid JSON" },
    });
    expect((await fake.postToEndpoint("[1, 2]")).status).toBe(400);
    expect((await fake.postToEndpoint(JSON.stringify({ type: 2 }))).body).toEqual({
      error: "the interaction has no id or token",
    });
    expect((await fake.postToEndpoint("x".repeat(MAX_INTERACTION_BYTES + 1))).status).toBe(413);
    expect((await fetch(`${base}/interactions`)).status).toBe(405);
    expect((await fetch(`${base}/elsewhere`, { method: "POST" })).status).toBe(404);
    // Still answering after all that.
    expect((await callbackData(fake, fake.chatInput("term", { name: "dpo" }).id)).data?.embeds[0].title).toBe("DPO");
  });

  it("GET /healthz reports the content and the database, and no gateway", async () => {
    const { base } = await httpOnly();
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      checks: [
        { name: "content", ok: true },
        { name: "database", ok: true },
      ],
    });
  });

  it("/digest set checks the bot's channel permissions over REST, with no gateway cache", async () => {
    const { fake, store } = await httpOnly({
      fake: { permissionOverwrites: [{ channelId: ids.announcementChannel, deny: Permission.EmbedLinks }] },
    });
    const refused = await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.announcementChannel), time: "09:00" },
        { userId: ids.admin, subcommand: "set" },
      ).id,
    );
    expect(refused.data?.content).toContain("missing **Embed Links**");
    const set = await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.textChannel), time: "09:00" },
        { userId: ids.admin, subcommand: "set" },
      ).id,
    );
    expect(set.data?.flags).toBe(EPHEMERAL);
    expect(set.data?.content).toMatch(/^Daily digest set/);
    expect((await store.getDigest(ids.guild))?.channelId).toBe(ids.textChannel);
  });

  it("a deferred command answers 'thinking' in the response, then edits it through REST", async () => {
    const { fake } = await httpOnly();
    const { id } = fake.chatInput("digest", {}, { userId: ids.admin, subcommand: "preview" });
    expect(await callbackData(fake, id)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const edited = await fake.waitForRequest<{ content?: string }>({
      method: "PATCH",
      path: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.content).toMatch(/Daily digest/);
  });

  it("an answer costs no request beyond the HTTP response; a repeat looks the first copy up when it comes", async () => {
    const { fake } = await httpOnly();
    await callbackData(fake, fake.chatInput("term", { name: "gguf" }).id);
    const originals = () => fake.requests.filter((request) => request.path.endsWith("/messages/@original"));
    expect(originals()).toEqual([]);
    const again = await callbackData(fake, fake.chatInput("term", { name: "GGUF" }, { userId: ids.admin }).id);
    expect(again.data?.content).toMatch(/moments ago: https:\/\/discord.com\/channels\/\d+\/\d+\/\d+/);
    expect(originals()).toHaveLength(1);
  });

  it("a payload naming no installation (from before user installs) is answered as the server's install", async () => {
    const { fake, logs } = await httpOnly();
    const bare = (name: string, userId: string) => {
      const payload = fake.build.chatInput("term", { name }, { userId }) as unknown as Record<string, unknown>;
      delete payload.authorizing_integration_owners;
      return fake.postInteraction(payload as never).id;
    };
    const firstId = bare("rag", ids.user);
    expect((await callbackData(fake, firstId)).data?.embeds[0].title).toBe("Retrieval-augmented generation (RAG)");
    const again = await callbackData(fake, bare("RAG", ids.admin));
    expect(again.data?.content).toMatch(/posted in this channel moments ago/);
    expect(logs.find((line) => line.msg === "malformed interaction")?.problems).toEqual([
      "no authorizing_integration_owners",
    ]);
  });

  it("a reply over HTTP never pings @everyone, @here or a role", async () => {
    const { fake } = await httpOnly();
    const body = await callbackData(fake, fake.chatInput("ask", { question: "@everyone what is <@&1234> moe" }).id);
    expect(body.data?.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
  });
});

describe("both transports at once", () => {
  it("the gateway and the endpoint feed one dispatcher: the same repeated answer is held back across them", async () => {
    const { fake } = await startHarness({ http: "also" });
    expect(fake.gatewayFrames.length).toBeGreaterThan(0);
    const overHttp = await callbackData(fake, fake.chatInput("term", { name: "lora" }).id);
    expect(overHttp.data?.embeds[0].title).toBe("LoRA");
    fake.useInteractionsEndpoint(null);
    const overGateway = await callbackData(fake, fake.chatInput("term", { name: "LoRA" }, { userId: ids.admin }).id);
    expect(overGateway.data?.content).toMatch(/posted in this channel moments ago/);
  });
});
