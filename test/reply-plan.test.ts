import { describe, expect, it } from "vitest";
import { UserFacingError } from "../src/answers/user-facing-error.ts";
import { failureReply } from "../src/bot/failure-reply.ts";
import {
  type AnswerFacts,
  claimKeyOf,
  type Place,
  planAnswer,
  planNotice,
  planThrottled,
} from "../src/bot/reply-plan.ts";
import { notice, reply } from "../src/payloads/reply.ts";
import { StoreWriteError } from "../src/store/store.ts";

/** The reply plan is decided from plain facts: no Discord, no client, no responder. */

const ANSWER = reply({ content: "OLMo is fully open." });
const PRIVATE = reply({ content: "Nothing found." }, { ephemeral: true });
const SERVER: Place = {
  guildId: "200000000000000002",
  channelId: "300000000000000003",
  botPresent: true,
  inThread: false,
  canCreateThreads: true,
};
const USER_INSTALL: Place = { ...SERVER, channelId: null, botPresent: false };
const DM: Place = { ...USER_INSTALL, guildId: null };

const facts = (overrides: Partial<AnswerFacts> = {}): AnswerFacts => ({
  result: { reply: ANSWER, dedupeKey: "ask:olmo" },
  place: SERVER,
  deferred: false,
  claim: { status: "claimed" },
  ...overrides,
});

describe("the key flood control holds a channel by", () => {
  it("is the answer's key for a public answer in a channel the bot knows", () => {
    expect(claimKeyOf({ reply: ANSWER, dedupeKey: "ask:olmo" }, SERVER)).toBe("ask:olmo");
  });

  it("is none for a private answer, where the bot knows no channel, or for an answer without a key", () => {
    expect(claimKeyOf({ reply: PRIVATE, dedupeKey: "ask:olmo" }, SERVER)).toBeNull();
    expect(claimKeyOf({ reply: ANSWER, dedupeKey: "ask:olmo" }, USER_INSTALL)).toBeNull();
    expect(claimKeyOf({ reply: ANSWER }, SERVER)).toBeNull();
  });
});

describe("the plan of a command's answer", () => {
  it("a public answer: the reply, its message kept if it comes free, the claim settled, nothing after", () => {
    expect(planAnswer(facts())).toEqual({
      outcome: "answered",
      send: "reply",
      payload: ANSWER,
      ephemeral: false,
      keepMessage: "if-free",
      settlesClaim: true,
      after: null,
    });
  });

  it("a deferred answer fills in the deferred reply", () => {
    expect(planAnswer(facts({ deferred: true }))).toMatchObject({ send: "edit", outcome: "answered" });
  });

  it("a private answer: no message kept, no claim, outcome private", () => {
    expect(planAnswer(facts({ result: { reply: PRIVATE }, claim: null }))).toEqual({
      outcome: "private",
      send: "reply",
      payload: PRIVATE,
      ephemeral: true,
      keepMessage: "no",
      settlesClaim: false,
      after: null,
    });
  });

  it("a repeat points privately at the first copy, linked when its message is known", () => {
    expect(planAnswer(facts({ claim: { status: "posted", messageId: "400000000000000004" } }))).toEqual({
      outcome: "duplicate",
      send: "reply",
      payload: notice(
        "That answer was posted in this channel moments ago: https://discord.com/channels/200000000000000002/300000000000000003/400000000000000004",
      ),
      ephemeral: true,
      keepMessage: "no",
      settlesClaim: false,
      after: null,
    });
    const unknown = planAnswer(facts({ claim: { status: "posted", messageId: null }, deferred: true }));
    expect(unknown.payload.content).toBe("That answer was posted in this channel moments ago: just above");
    expect(unknown.send).toBe("edit");
  });

  describe("with a thread asked for", () => {
    const withThread = (place: Place) =>
      planAnswer(facts({ place, result: { reply: ANSWER, dedupeKey: "ask:olmo", thread: { name: "is olmo open" } } }));

    it("opens it on the posted answer, whose message it needs", () => {
      expect(withThread(SERVER)).toMatchObject({
        keepMessage: "needed",
        after: {
          kind: "thread",
          channelId: SERVER.channelId,
          name: "is olmo open",
          ifRefused: notice("I couldn't open a thread on that answer here (Discord refused)."),
        },
      });
    });

    it("says why not where it cannot: already in a thread, or no Create Public Threads", () => {
      expect(withThread({ ...SERVER, inThread: true }).after).toEqual({
        kind: "no-thread",
        payload: notice("We're already in a thread, so the answer stays here."),
      });
      expect(withThread({ ...SERVER, canCreateThreads: false }).after).toEqual({
        kind: "no-thread",
        payload: notice(
          "I couldn't open a thread here: I need the **Create Public Threads** permission in this channel.",
        ),
      });
    });

    it("follows up where the bot is not a member: installed by the user, or in a DM", () => {
      expect(withThread(USER_INSTALL).after).toEqual({
        kind: "follow-up",
        payload: notice("I can't open a thread here: I'm installed for you, not for this server. The answer is above."),
      });
      expect(withThread(DM).after).toEqual({
        kind: "follow-up",
        payload: notice("Threads only exist in server channels, so the answer stays here."),
      });
    });
  });
});

describe("notices as plans", () => {
  it("throttled: a private reply, nothing else", () => {
    expect(planThrottled()).toEqual(
      planNotice("You're going a bit fast; give it a few seconds and try again.", "throttled"),
    );
    expect(planThrottled()).toMatchObject({ send: "reply", ephemeral: true, keepMessage: "no", after: null });
  });
});

describe("the plan of a failure", () => {
  const about = {
    interactionId: "500000000000000005",
    userId: "100000000000000001",
    guildId: "200000000000000002",
    channelId: "300000000000000003",
    command: "ask",
  };
  const errorId = () => "cafe0001";

  it("a user-facing error is said as it is worded, privately, into the deferred reply when there is one", () => {
    expect(failureReply(new UserFacingError("Try /help."), about, false, true, errorId)).toEqual({
      plan: planNotice("Try /help.", "user-error", true),
      log: null,
    });
  });

  it("anything else is 'something went wrong' with an id, and the same id in the log with who and where", () => {
    const error = new Error("boom");
    const failure = failureReply(error, about, false, false, errorId);
    expect(failure.plan).toEqual(
      planNotice(
        "Something went wrong on my side. If it keeps happening, tell the server's admins: error id `cafe0001`.",
        "error",
      ),
    );
    expect(failure.log).toEqual({
      level: "error",
      msg: "interaction failed",
      fields: {
        err: error,
        errorId: "cafe0001",
        interactionId: about.interactionId,
        user: about.userId,
        guild: about.guildId,
        channel: about.channelId,
        command: "ask",
      },
    });
  });

  it("a database write that failed says it was not saved, and why", () => {
    const failure = failureReply(new StoreWriteError("full", "/data/db", "disk-full"), about, false, false, errorId);
    expect(failure.plan?.payload.content).toBe(
      "I couldn't save that: the bot's disk is full. Nothing was changed; tell the bot's operator (error id `cafe0001`).",
    );
    expect(failure.log).toMatchObject({ level: "error", msg: "database write failed" });
  });

  it("an interaction that expired gets nothing, and a debug line", () => {
    expect(failureReply(new Error("gone"), about, true, false, errorId)).toEqual({
      plan: null,
      log: {
        level: "debug",
        fields: { interactionId: about.interactionId },
        msg: "interaction expired before the answer",
      },
    });
  });
});
