import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { FakeDiscord, ids, option } from "../fake-discord/index.ts";
import { callbackData, startHarness } from "../helpers/bot-harness.ts";
import { clockStandingAt, digestMessages, digestStatus } from "../helpers/digest.ts";
import { canMount, smallDisk } from "../helpers/small-disk.ts";

describe("the database under the running bot", () => {
  it("the file deleted mid-run is noticed, written back and still there after a restart", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const dataDir = mkdtempSync(join(tmpdir(), "stackbot-data-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startHarness({ existingFake: fake, dataDir, databaseCheckMs: 100 });
    await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.textChannel), time: "09:00" },
        { userId: ids.admin, subcommand: "set" },
      ).id,
    );
    rmSync(join(dataDir, "stackbot.sqlite"));
    await expect
      .poll(() => first.logs.find((line) => String(line.msg).includes("was deleted while the bot ran")), {
        timeout: 5000,
      })
      .toBeTruthy();
    await first.bot.stop();
    await first.store.close();

    const second = await startHarness({ existingFake: fake, dataDir });
    expect((await second.store.getDigest(ids.guild))?.channelId).toBe(ids.textChannel);
    expect(await digestStatus(fake)).toContain(`**Channel:** <#${ids.textChannel}>`);
  });

  it("the file deleted just before a stop is written back at shutdown, with the settings made in between", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const dataDir = mkdtempSync(join(tmpdir(), "stackbot-data-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    // The periodic check would not run for an hour: only the check at shutdown can save the file.
    const first = await startHarness({ existingFake: fake, dataDir, databaseCheckMs: 3_600_000 });
    rmSync(join(dataDir, "stackbot.sqlite"));
    await callbackData(
      fake,
      fake.chatInput(
        "digest",
        { channel: option.channel(ids.textChannel), time: "09:00" },
        { userId: ids.admin, subcommand: "set" },
      ).id,
    );
    await first.bot.stop();
    expect(first.logs.find((line) => String(line.msg).includes("was deleted while the bot ran"))).toBeTruthy();
    await first.store.close();

    const second = await startHarness({ existingFake: fake, dataDir });
    expect((await second.store.getDigest(ids.guild))?.channelId).toBe(ids.textChannel);
  });

  it.skipIf(!canMount)(
    "a full disk at the due time: the admin sees why, and the digest posts once when space returns",
    async () => {
      const disk = smallDisk()!;
      const clock = clockStandingAt("2026-12-01T08:59:58Z");
      const { fake } = await startHarness({
        dataDir: disk.dir,
        digest: {
          clock,
          retry: { attempts: 2, baseDelayMs: 50 },
          storeRetry: { baseDelayMs: 200, maxDelayMs: 400 },
        },
      });
      await callbackData(
        fake,
        fake.chatInput(
          "digest",
          { channel: option.channel(ids.textChannel), time: "09:00", timezone: "UTC" },
          { userId: ids.admin, subcommand: "set" },
        ).id,
      );
      disk.fill();
      clock.start();
      await vi.waitFor(async () => expect(await digestStatus(fake)).toMatch(/\*\*Last error:\*\* .*disk .* is full/), {
        timeout: 8000,
        interval: 1200,
      });
      expect(digestMessages(fake)).toHaveLength(0);
      disk.free();
      await expect.poll(() => digestMessages(fake).length, { timeout: 8000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(digestMessages(fake)).toHaveLength(1);
    },
  );
});
