/**
 * Learning from what members ask: what the content could not answer is recorded (text only where a
 * server opted in), any answer can be marked wrong once per person, and admins see both, privately.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { BotMetrics } from "../../src/bot/metrics.ts";
import { lastWholeWeek } from "../../src/digest/weekly-gaps.ts";
import { SqliteStore } from "../../src/store/store.ts";
import { FakeDiscord, ids } from "../fake-discord/index.ts";
import { callbackData, startHarness } from "../helpers/bot-harness.ts";
import { clockAt, postAsBot } from "../helpers/digest.ts";
import { freshDatabase } from "../helpers/postgres.ts";
import { tempDataDir } from "../helpers/temp-dir.ts";

const EPHEMERAL = 64;
const MODAL = 9;

describe("gaps and answers marked wrong", () => {
  it("records what was not answered, takes one vote per person and answer, and shows both to admins", async () => {
    const metrics = new BotMetrics();
    const { fake, store } = await startHarness({ metrics });
    const admin = { userId: ids.admin };

    // Not opted in: the unknown name is counted, the question is not kept.
    await callbackData(fake, fake.chatInput("ask", { question: "is zorblax-13b under apache?" }).id);
    await expect.poll(async () => (await store.gaps.topGaps(ids.guild, 0, 10)).length).toBe(1);
    expect((await store.gaps.topGaps(ids.guild, 0, 10))[0]).toMatchObject({
      kind: "unknown-name",
      missing: "zorblax-13b",
      count: 1,
      example: null,
    });

    // Opted in: the question text is kept.
    const saved = await callbackData(
      fake,
      fake.chatInput("gaps", { keep_text: true, retention_days: 14 }, { ...admin, subcommand: "settings" }).id,
    );
    expect(saved.data?.content).toMatch(/kept for 14 days/);
    await callbackData(fake, fake.chatInput("ask", { question: "what does the qwenzilla 9000 licence say?" }).id);
    await expect
      .poll(async () => (await store.gaps.topGaps(ids.guild, 0, 10)).some((gap) => gap.example !== null))
      .toBe(true);

    // Every answer carries the button; it opens a one-line form; a second vote is refused kindly.
    const answer = await callbackData(fake, fake.chatInput("license", { name: "llama" }).id);
    const buttons = (answer.data?.components ?? []).flatMap((row: { components: { custom_id?: string }[] }) =>
      row.components.map((component) => component.custom_id ?? ""),
    );
    const feedback = buttons.find((id: string) => id.startsWith("fb|"))!;
    expect(feedback).toBeTruthy();
    const opened = await callbackData(fake, fake.button(feedback).id);
    expect(opened.type).toBe(MODAL);
    const modalId = String(opened.data?.custom_id);
    const thanked = await callbackData(fake, fake.modalSubmit(modalId, { reason: "the cap is for 3.1" }).id);
    expect(thanked.data?.flags).toBe(EPHEMERAL);
    expect(thanked.data?.content).toMatch(/^Thanks/);
    const again = await callbackData(fake, fake.modalSubmit(modalId, { reason: "again" }).id);
    expect(again.data?.content).toMatch(/already marked/);
    const wrong = await store.gaps.topWrong(ids.guild, 0, 10);
    expect(wrong).toEqual([
      expect.objectContaining({ answerKind: "license-history", count: 1, reason: "the cap is for 3.1" }),
    ]);
    // No user id is stored: the vote carries a salted hash.
    expect(JSON.stringify(wrong)).not.toContain(ids.user);

    const report = await callbackData(fake, fake.chatInput("gaps", {}, { ...admin, subcommand: "show" }).id);
    expect(report.data?.flags).toBe(EPHEMERAL);
    expect(report.data?.content).toMatch(/zorblax\\?-13b/);
    expect(report.data?.content).toContain("the cap is for 3.1");
    const counted = await metrics.render();
    expect(counted).toContain('stackbot_unanswered_total{kind="unknown-name"} 1');
    expect(counted).toContain('stackbot_unanswered_total{kind="not-covered"} 1');
    expect(counted).toMatch(/stackbot_marked_wrong_total\{kind="license-history"\} 1/);

    // Members without Manage Server cannot read it; /gaps forget deletes everything.
    const refused = await callbackData(fake, fake.chatInput("gaps", {}, { subcommand: "show" }).id);
    expect(refused.data?.content).toMatch(/Manage Server/);
    const forgot = await callbackData(fake, fake.chatInput("gaps", {}, { ...admin, subcommand: "forget" }).id);
    expect(forgot.data?.content).toMatch(/^Deleted [1-9]\d* record/);
    expect(await store.gaps.topGaps(ids.guild, 0, 10)).toEqual([]);
    expect(await store.gaps.settings(ids.guild)).toEqual({ keepText: false, retentionDays: 30 });
  });
});

const WEEKLY = "**Weekly gaps report";
/** A week from now: the week that holds today is then the last whole one, and its report is owed. */
const nextWeek = () => clockAt(new Date(Date.now() + 7 * 86_400_000).toISOString());

describe("the weekly gaps report", () => {
  it("is posted once by two instances sharing PostgreSQL, and not again by a third started later", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const databaseUrl = await freshDatabase();
    const gapReports = { clock: nextWeek(), checkEveryMs: 100, claimLeaseMs: 5_000 };
    const first = await startHarness({ existingFake: fake, databaseUrl, http: "only" });
    const admin = { userId: ids.admin };

    const off = await callbackData(fake, fake.chatInput("gaps", {}, { ...admin, subcommand: "weekly" }).id);
    expect(off.data?.content).toMatch(/weekly gaps report is off/);
    const refused = await callbackData(
      fake,
      fake.chatInput("gaps", { channel: ids.textChannel }, { subcommand: "weekly" }).id,
    );
    expect(refused.data?.content).toMatch(/Manage Server/);
    const saved = await callbackData(
      fake,
      fake.chatInput("gaps", { channel: ids.textChannel }, { ...admin, subcommand: "weekly" }).id,
    );
    expect(saved.data?.content).toMatch(/^Saved\. Every Monday/);
    await callbackData(fake, fake.chatInput("ask", { question: "is zorblax-13b under apache? @everyone" }).id);
    await expect.poll(async () => (await first.store.gaps.topGaps(ids.guild, 0, 10)).length).toBe(1);
    await first.bot.stop();

    // Two instances look for owed reports every 100 ms, racing for the same week.
    await Promise.all([
      startHarness({ existingFake: fake, databaseUrl, http: "only", gapReports }),
      startHarness({ existingFake: fake, databaseUrl, http: "only", gapReports }),
    ]);
    const reports = () => fake.messagesIn(ids.textChannel).filter((message) => message.content.startsWith(WEEKLY));
    await expect.poll(() => reports().length, { timeout: 10_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reports()).toHaveLength(1);
    const [report] = reports();
    expect(report!.content).toMatch(/zorblax\\?-13b/);
    expect(report!.content).toMatch(/gaps weekly off:true/);
    const posts = fake.requests.filter((request) => request.method === "POST" && /\/messages$/.test(request.path));
    const body = posts.at(-1)!.body as { allowed_mentions?: { parse?: string[] }; nonce?: string };
    expect(body.allowed_mentions?.parse).toEqual([]);
    expect(body.nonce).toMatch(/^g\d{8}[0-9a-f]{12}$/);

    await startHarness({ existingFake: fake, databaseUrl, http: "only", gapReports });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reports()).toHaveLength(1);
  }, 60_000);

  it("claimed and sent by a run that stopped before recording it: the restart finds its message", async () => {
    const fake = await FakeDiscord.start({ nonceWindowMs: 50 });
    onTestFinished(() => fake.stop());
    const dataDir = tempDataDir();
    const clock = nextWeek();
    const week = lastWholeWeek(clock.now().getTime()).key;
    const store = SqliteStore.open(dataDir);
    await store.gaps.setReportChannel(ids.guild, ids.textChannel, Date.now());
    await store.gaps.claimReport(ids.guild, week, "gcrashtest", Date.now(), 0);
    await store.close();
    const earlier = await postAsBot(fake, `**Weekly gaps report, week of ${week} (to …)**`, "gcrashtest");
    await new Promise((resolve) => setTimeout(resolve, 100));

    const { store: reopened, logs } = await startHarness({
      existingFake: fake,
      dataDir,
      gapReports: { clock, checkEveryMs: 100 },
    });
    await expect.poll(async () => (await reopened.gaps.reportFor(ids.guild, week))?.messageId).toBe(earlier.id);
    expect(fake.messagesIn(ids.textChannel).filter((message) => message.content.startsWith(WEEKLY))).toHaveLength(1);
    expect(logs.find((line) => line.msg === "weekly gaps report posted")).toBeUndefined();
  });

  it("a channel the bot can no longer post in turns the report off instead of failing every week", async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir);
    await store.gaps.setReportChannel(ids.guild, "999999999999999999", Date.now());
    await store.close();
    const { store: reopened, logs } = await startHarness({
      existingFake: fake,
      dataDir,
      gapReports: { clock: nextWeek(), checkEveryMs: 100 },
    });
    await expect.poll(() => reopened.gaps.reportChannel(ids.guild)).toBeNull();
    expect(logs.find((line) => String(line.msg).startsWith("weekly gaps report turned off"))).toBeTruthy();
  });
});

describe("the purge of kept question text", () => {
  it("deletes text older than the server's retention while the bot runs, and keeps the counts", async () => {
    const dataDir = tempDataDir();
    const store = SqliteStore.open(dataDir);
    const day = 86_400_000;
    await store.gaps.setSettings(ids.guild, { keepText: true, retentionDays: 1 }, Date.now());
    const gap = { guildId: ids.guild, kind: "unknown-name", contentVersion: "test" };
    await store.gaps.record({ ...gap, missing: "zorblax-13b", question: "old question", at: Date.now() - 2 * day });
    await store.gaps.record({ ...gap, missing: "qwenzilla", question: "new question", at: Date.now() });
    await store.close();

    const { store: running } = await startHarness({ dataDir, gapReports: { purgeEveryMs: 100 } });
    await expect
      .poll(async () => (await running.gaps.topGaps(ids.guild, 0, 10)).find((row) => row.missing === "zorblax-13b"))
      .toMatchObject({ count: 1, example: null });
    const kept = (await running.gaps.topGaps(ids.guild, 0, 10)).find((row) => row.missing === "qwenzilla");
    expect(kept).toMatchObject({ count: 1, example: "new question" });
  });
});
