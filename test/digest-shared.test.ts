import { afterEach, describe, expect, it } from "vitest";
import type { Clock, SendMessage } from "../src/digest/ports.ts";
import { DigestRunner } from "../src/digest/runner.ts";
import { PostgresStore } from "../src/store/store.ts";
import { clockStandingAt } from "./helpers/digest.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";
import { freshDatabase } from "./helpers/postgres.ts";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
/** 09:05 UTC on the day: a 09:00 digest is due and caught up at start. */
const clock = { now: () => new Date("2026-12-01T09:05:00Z") };

interface Sent {
  runner: string;
  channelId: string;
  nonce: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface InstanceOptions {
  send?: SendMessage;
  claimLeaseMs?: number;
  clock?: Clock;
  refreshMs?: number;
}

async function instance(url: string, name: string, sent: Sent[], options: InstanceOptions = {}) {
  const { send, claimLeaseMs, refreshMs } = options;
  const store = await PostgresStore.open(url);
  const runner = new DigestRunner({
    store,
    knowledge: bundledKnowledge,
    news: async () => null,
    logger: quiet,
    clock: options.clock ?? clock,
    retry: { attempts: 2, baseDelayMs: 10 },
    ...(claimLeaseMs ? { claimLeaseMs } : {}),
    ...(refreshMs ? { refreshMs } : {}),
    send:
      send ??
      (async (channelId, payload) => {
        sent.push({ runner: name, channelId, nonce: payload.nonce });
        return { id: `m-${channelId}` };
      }),
  });
  cleanups.push(async () => {
    // A killed instance never finishes its post; its runner is abandoned, not drained.
    if (name !== "dying") await runner.stop();
    await store.close();
  });
  return { store, runner };
}

/** An instance whose sends never return (it is killed mid-send), with a short lease for the others. */
function dyingInstance(url: string, sent: Sent[], hung: Sent[]) {
  return instance(url, "dying", sent, {
    send: async (channelId, payload) => {
      hung.push({ runner: "dying", channelId, nonce: payload.nonce });
      return new Promise(() => {});
    },
    claimLeaseMs: 300,
  });
}

describe("the digest with several instances on one PostgreSQL", () => {
  it("every instance runs the scheduler; each server's digest is posted once between them", async () => {
    const url = await freshDatabase();
    const sent: Sent[] = [];
    const [a, b] = [await instance(url, "a", sent), await instance(url, "b", sent)];
    for (let guild = 1; guild <= 30; guild++) {
      await a.store.setDigest({ guildId: String(guild), channelId: `c${guild}`, time: "09:00", timezone: "UTC" });
    }
    await Promise.all([a.runner.start(), b.runner.start()]);
    expect(sent).toHaveLength(30);
    expect(new Set(sent.map((post) => post.channelId)).size).toBe(30);
    // Both took part: the database, not a leader, decided who posted what.
    for (const guild of ["1", "30"]) expect((await b.store.getSlot(guild, "2026-12-01"))?.state).toBe("sent");
  });

  it("an instance that dies holding a claim is taken over after the lease, with the same nonce", async () => {
    const url = await freshDatabase();
    const sent: Sent[] = [];
    const hung: Sent[] = [];
    // The first instance claims the day, then never finishes sending (it was killed).
    const dying = await dyingInstance(url, sent, hung);
    await dying.store.setDigest({ guildId: "1", channelId: "c1", time: "09:00", timezone: "UTC" });
    void dying.runner.start();
    await expect.poll(() => hung.length).toBe(1);

    const survivor = await instance(url, "survivor", sent, { claimLeaseMs: 300 });
    await survivor.runner.start();
    expect(sent).toEqual([]);
    await expect.poll(() => sent.length, { timeout: 5000 }).toBe(1);
    expect(sent[0]).toEqual({ runner: "survivor", channelId: "c1", nonce: hung[0]!.nonce });
    expect((await survivor.store.getSlot("1", "2026-12-01"))?.state).toBe("sent");
  });

  it("a digest set just before its time through an instance that then dies is posted by another, once", async () => {
    const url = await freshDatabase();
    const sent: Sent[] = [];
    const hung: Sent[] = [];
    // Set at 08:59:30 for 09:00; the instance that took the setting dies at the due time, mid-send.
    const setting = await PostgresStore.open(url, { now: () => new Date("2026-12-01T08:59:30Z") });
    cleanups.push(() => setting.close());
    await setting.setDigest({ guildId: "5", channelId: "c5", time: "09:00", timezone: "UTC" });
    const dying = await dyingInstance(url, sent, hung);
    void dying.runner.post("5", "2026-12-01");
    await expect.poll(() => hung.length).toBe(1);
    // The survivor learns of the setting after 09:00 (it is now 09:05): today's post is still owed.
    const survivor = await instance(url, "survivor", sent, { claimLeaseMs: 300 });
    await survivor.runner.start();
    await expect.poll(() => sent.length, { timeout: 5000 }).toBe(1);
    expect(sent[0]).toEqual({ runner: "survivor", channelId: "c5", nonce: hung[0]!.nonce });
    await survivor.runner.refresh();
    expect(sent).toHaveLength(1);
  });

  it("/digest status says when today's post was claimed by an instance that did not finish", async () => {
    const url = await freshDatabase();
    // The claim was made at 09:00:10 and nothing was recorded since; it is now 09:05.
    const earlier = await PostgresStore.open(url, { now: () => new Date("2026-12-01T09:00:10Z") });
    cleanups.push(() => earlier.close());
    await earlier.setDigest({ guildId: "9", channelId: "c9", time: "09:00", timezone: "UTC" });
    await earlier.claimSlot("9", "2026-12-01", "n9");
    const { runner } = await instance(url, "observer", []);
    expect((await runner.status("9"))?.unfinished).toEqual({
      localDate: "2026-12-01",
      claimedAt: "2026-12-01T09:00:10.000Z",
    });
  });

  it("a digest set through one instance is scheduled by the others", async () => {
    const url = await freshDatabase();
    const sent: Sent[] = [];
    const [a, b] = [await instance(url, "a", sent), await instance(url, "b", sent)];
    await Promise.all([a.runner.start(), b.runner.start()]);
    await a.runner.set("7", { channelId: "c7", time: "10:00", timezone: "UTC" });
    expect(await b.runner.status("7")).toMatchObject({ nextPost: "2026-12-01 10:00 (UTC)" });
    await b.runner.refresh();
    await a.runner.off("7");
    await b.runner.refresh();
    expect(await b.runner.status("7")).toMatchObject({ enabled: false, nextPost: null });
  });
});

describe("a digest set through one instance", () => {
  it("is seen by the others at once, so one posts it when the first stops before the due time", async () => {
    const url = await freshDatabase();
    const clock = clockStandingAt("2026-12-01T08:59:55Z");
    const sent: Sent[] = [];
    // Far longer than the test: only the change notice can tell the second instance in time.
    const open = async (name: string) => {
      const { runner } = await instance(url, name, sent, { clock, refreshMs: 600_000 });
      await runner.start();
      return runner;
    };
    const [first] = [await open("first"), await open("second")];
    clock.start();
    await first!.set("1", { channelId: "c1", time: "09:00", timezone: "UTC" });
    await first!.stop();
    await expect.poll(() => sent.map((post) => post.runner), { timeout: 10_000, interval: 100 }).toEqual(["second"]);
  }, 20_000);
});
