import { describe, expect, it, onTestFinished } from "vitest";
import { FloodControl } from "../src/bot/flood-control.js";
import { SqliteStore } from "../src/store/store.ts";
import { tempDataDir } from "./helpers/temp-dir.ts";

function floodAt(clock: { now: number }) {
  return new FloodControl({ repeatWindowMs: 60_000, userBurst: 3, userWindowMs: 10_000, now: () => clock.now });
}

describe("flood control: repeated answers in a channel", () => {
  it("holds back a second ask while the first copy is still being sent, then points at it", async () => {
    const clock = { now: 0 };
    const flood = floodAt(clock);
    const settle = flood.claimAnswer("c1", "term:lora");
    const pending = flood.recentAnswer("c1", "term:lora");
    expect(pending).not.toBeNull();
    settle({ messageId: "m42", interactionToken: "t1" });
    expect(await pending?.message).toEqual({ messageId: "m42", interactionToken: "t1" });
  });

  it("drops the claim when sending failed, so the next ask is answered", async () => {
    const flood = floodAt({ now: 0 });
    const settle = flood.claimAnswer("c1", "term:lora");
    const pending = flood.recentAnswer("c1", "term:lora");
    settle(undefined);
    expect(await pending?.message).toBeUndefined();
    expect(flood.recentAnswer("c1", "term:lora")).toBeNull();
  });

  it("forgets the copy after the window and keeps channels apart", () => {
    const clock = { now: 0 };
    const flood = floodAt(clock);
    flood.claimAnswer("c1", "term:lora")({ messageId: "m1", interactionToken: "t1" });
    expect(flood.recentAnswer("c2", "term:lora")).toBeNull();
    clock.now = 60_001;
    expect(flood.recentAnswer("c1", "term:lora")).toBeNull();
  });
});

describe("flood control: one person going fast", () => {
  it("allows a burst, refuses the next, and allows again once the window passes", () => {
    const clock = { now: 0 };
    const flood = floodAt(clock);
    expect([flood.allowUser("u"), flood.allowUser("u"), flood.allowUser("u")]).toEqual([true, true, true]);
    expect(flood.allowUser("u")).toBe(false);
    expect(flood.allowUser("someone else")).toBe(true);
    clock.now = 10_000;
    expect(flood.allowUser("u")).toBe(true);
  });
});

describe("flood control: several instances sharing a store", () => {
  it("a repeated answer is held back whichever instance gets the second ask", async () => {
    const dir = tempDataDir();
    const store = SqliteStore.open(dir);
    onTestFinished(() => store.close());
    const clock = { now: 1_000 };
    const options = { repeatWindowMs: 30_000, userBurst: 3, userWindowMs: 10_000, now: () => clock.now, shared: store };
    const [one, two] = [new FloodControl(options), new FloodControl(options)];
    const first = await one.takeAnswer("c1", "term:lora");
    expect(first.status).toBe("claimed");
    expect(await two.takeAnswer("c1", "term:lora")).toEqual({
      status: "posted",
      messageId: null,
      interactionToken: null,
    });
    // Answered in an HTTP response: no message id yet, but the token finds the reply later.
    if (first.status === "claimed") first.settle({ messageId: null, interactionToken: "token-7" });
    await expect
      .poll(() => two.takeAnswer("c1", "term:lora"))
      .toEqual({ status: "posted", messageId: null, interactionToken: "token-7" });
    clock.now += 31_000;
    expect((await two.takeAnswer("c1", "term:lora")).status).toBe("claimed");
  });

  it("a failed send frees the channel for the next ask", async () => {
    const store = SqliteStore.open(tempDataDir());
    onTestFinished(() => store.close());
    const options = { repeatWindowMs: 30_000, userBurst: 3, userWindowMs: 10_000, shared: store };
    const [one, two] = [new FloodControl(options), new FloodControl(options)];
    const first = await one.takeAnswer("c1", "term:moe");
    if (first.status === "claimed") first.settle(undefined);
    await expect.poll(async () => (await two.takeAnswer("c1", "term:moe")).status).toBe("claimed");
  });
});
