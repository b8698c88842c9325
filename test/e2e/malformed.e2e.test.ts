import { describe, expect, it } from "vitest";
import { ids, option } from "../fake-discord/index.ts";
import { callbackData, startHarness } from "../helpers/bot-harness.ts";

const EPHEMERAL = 64;
const AUTOCOMPLETE_RESULT = 8;

const noUnhandled = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => /unhandled|uncaught/.test(String(line.msg)));

describe("malformed interactions get a reply and one warning, never an unhandled rejection", () => {
  it("options sent as a string", async () => {
    const { fake, logs } = await startHarness();
    const built = fake.build.chatInput("term", { name: "moe" });
    fake.dispatch("INTERACTION_CREATE", { ...built, data: { ...built.data, options: "name=moe" } });
    const body = await callbackData(fake, built.id);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toMatch(/needs the option `name`/);
    expect(logs.find((line) => line.msg === "malformed interaction")?.problems).toEqual(["data.options is not a list"]);
    expect(noUnhandled(logs.lines)).toEqual([]);
  });

  it("a command with no member or user: a plain error and one warning", async () => {
    const { fake, logs } = await startHarness();
    const built = fake.build.chatInput("term", { name: "moe" }) as unknown as Record<string, unknown>;
    const { member: _, user: __, ...anonymous } = built;
    fake.dispatch("INTERACTION_CREATE", anonymous);
    const body = await callbackData(fake, String(built.id));
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toMatch(/couldn't read that interaction/);
    expect(logs.lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual(["malformed interaction"]);
    expect(logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it("a button with no data: a plain error and one warning", async () => {
    const { fake, logs } = await startHarness();
    const built = fake.build.button("term:e:moe") as unknown as Record<string, unknown>;
    const { data: _, ...bare } = built;
    fake.dispatch("INTERACTION_CREATE", bare);
    const body = await callbackData(fake, String(built.id));
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toMatch(/couldn't read that interaction/);
    expect(logs.lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual(["malformed interaction"]);
  });

  it("a modal submit the bot never asked for", async () => {
    const { fake, logs } = await startHarness();
    const body = await callbackData(fake, fake.modalSubmit("nothing:p:", { field: "x" }).id);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toMatch(/don't handle that kind of interaction/);
    expect(logs.find((line) => line.msg === "unhandled interaction type")).toBeTruthy();
  });

  it("an autocomplete without a focused option gets an empty list", async () => {
    const { fake, logs } = await startHarness();
    const built = fake.build.autocomplete("term", { name: "mo" });
    const options = (built.data as unknown as { options: Record<string, unknown>[] }).options.map(
      ({ focused: _, ...rest }) => rest,
    );
    fake.dispatch("INTERACTION_CREATE", { ...built, data: { ...built.data, options } });
    const body = await callbackData(fake, built.id);
    expect(body.type).toBe(AUTOCOMPLETE_RESULT);
    expect(body.data?.choices).toEqual([]);
    expect(logs.find((line) => line.msg === "autocomplete without a focused option")).toBeTruthy();
  });

  it("a 10,000-character autocomplete value is cut to the option's length before searching", async () => {
    const { fake } = await startHarness();
    const body = await callbackData(fake, fake.autocomplete("term", { name: `lora${"x".repeat(10_000)}` }).id);
    expect(body.type).toBe(AUTOCOMPLETE_RESULT);
  });

  it("/digest set re-checks the channel type when Discord's check is bypassed", async () => {
    const { fake } = await startHarness();
    const body = await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.forum), time: "09:00" },
        { userId: ids.admin, subcommand: "set" },
      ).id,
    );
    expect(body.data?.content).toMatch(/is not a text or announcement channel/);
  });
});

describe("the gateway connection is logged", () => {
  it("a disconnect and a resume are one line each", async () => {
    const { fake, logs } = await startHarness();
    await fake.dropGateway();
    await expect.poll(() => logs.find((line) => line.msg === "gateway resumed"), { timeout: 8000 }).toBeTruthy();
    expect(logs.find((line) => line.msg === "gateway disconnected; reconnecting")?.level).toBe(40);
  });

  it("a lost session is a warning, then the new session is logged", async () => {
    const { fake, logs } = await startHarness();
    fake.forgetGatewaySessions();
    await fake.dropGateway();
    await expect
      .poll(() => logs.find((line) => String(line.msg).startsWith("gateway session lost")), { timeout: 8000 })
      .toBeTruthy();
    await expect
      .poll(() => logs.find((line) => line.msg === "gateway re-identified: a new session"), { timeout: 8000 })
      .toBeTruthy();
    const body = await callbackData(fake, fake.chatInput("term", { name: "dpo" }).id);
    expect(body.data?.embeds[0].title).toBe("DPO");
  });
});
