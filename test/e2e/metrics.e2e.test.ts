import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { BotMetrics } from "../../src/bot/metrics.ts";
import { startOperatorServer } from "../../src/bot/operator-server.ts";
import { callbackData, startHarness } from "../helpers/bot-harness.ts";

async function serve(metrics: BotMetrics, health: () => Promise<{ name: string; ok: boolean }[]>) {
  const server = await startOperatorServer({ port: 0, host: "127.0.0.1", metrics, health });
  onTestFinished(() => {
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("GET /metrics and GET /healthz", () => {
  it("count interactions by command and outcome, the content served and gateway events", async () => {
    const metrics = new BotMetrics();
    const { fake, bot, store } = await startHarness({ metrics });
    const base = await serve(metrics, async () => [
      { name: "database", ok: (await store.ping()).ok },
      { name: "gateway", ok: bot.client.isReady() },
    ]);
    await callbackData(fake, fake.chatInput("term", { name: "moe" }).id);
    await callbackData(fake, fake.autocomplete("license", { name: "lla" }).id);
    await fake.dropGateway();
    await expect
      .poll(
        async () => (await fetch(`${base}/metrics`).then((response) => response.text())).includes(`event="resume"`),
        {
          timeout: 8000,
        },
      )
      .toBe(true);
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('stackbot_interactions_total{kind="command",command="term",outcome="answered"} 1');
    expect(text).toContain('stackbot_interactions_total{kind="autocomplete",command="license",outcome="answered"} 1');
    expect(text).toMatch(/stackbot_answer_seconds_bucket\{le="0\.5",command="term"\} 1/);
    expect(text).toMatch(/stackbot_content_info\{origin="bundled",date="\d{4}-\d{2}-\d{2}"\} 1/);
    // Nothing failed on a fresh start: the last load is the one at start-up, and it succeeded.
    expect(text).toMatch(/^stackbot_content_last_reload_ok 1$/m);
    expect(text).toContain('stackbot_gateway_events_total{event="disconnect"} 1');
    expect(text).toContain('stackbot_gateway_events_total{event="resume"} 1');
    expect(text).toContain("stackbot_process_resident_memory_bytes");

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: "ok",
      checks: [
        { name: "database", ok: true },
        { name: "gateway", ok: true },
      ],
    });
  });

  it("/healthz answers 503 naming a failing check", async () => {
    const base = await serve(new BotMetrics(), async () => [
      { name: "content", ok: true },
      { name: "database", ok: false, detail: "disk I/O error" },
    ]);
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { status: string }).status).toBe("failing");
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });
});
