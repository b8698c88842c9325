/**
 * Learning from what members ask: what the content could not answer is recorded (text only where a
 * server opted in), any answer can be marked wrong once per person, and admins see both, privately.
 */
import { describe, expect, it } from "vitest";
import { BotMetrics } from "../../src/bot/metrics.ts";
import { ids } from "../fake-discord/index.ts";
import { callbackData, startHarness } from "../helpers/bot-harness.ts";

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
