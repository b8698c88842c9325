import type { CommandResult } from "../command-kit/definition.ts";
import { isEphemeral, notice, type ReplyPayload } from "../payloads/reply.ts";

/** How an interaction ended, as the log line and the metrics have it. */
export type Outcome =
  | "answered"
  | "private"
  | "duplicate"
  | "throttled"
  | "user-error"
  | "error"
  | "expired"
  | "malformed";

/**
 * Everything that is sent for one interaction, decided before anything is sent: a plain value the
 * responder carries out in one go (`Responder.carryOut`).
 */
export interface ReplyPlan {
  outcome: Outcome;
  /** As the interaction's reply, or into the reply already deferred. */
  send: "reply" | "edit";
  payload: ReplyPayload;
  /** Only the asker sees it. */
  ephemeral: boolean;
  /**
   * The posted message back from Discord: "if-free" where it comes with the answer (a duplicate's
   * link uses it), "needed" where it must be fetched if need be (a thread opens on it).
   */
  keepMessage: "no" | "if-free" | "needed";
  /** Flood control holds the channel for this answer and is told where it went. */
  settlesClaim: boolean;
  /** What follows the answer, if anything. */
  after: Afterwards | null;
}

export type Afterwards =
  /** A private notice under the answer. */
  | { kind: "follow-up"; payload: ReplyPayload }
  /** Once the answer's message is known: a public thread on it; when Discord refuses, `ifRefused` says so. */
  | { kind: "thread"; channelId: string; name: string; ifRefused: ReplyPayload }
  /** Once the answer's message is known: why no thread was opened on it. */
  | { kind: "no-thread"; payload: ReplyPayload };

/** Where an interaction was used, as far as the answer depends on it. */
export interface Place {
  guildId: string | null;
  /**
   * The channel, where the bot is a member of the server (installed there); null where it is not
   * (installed by a user, or a DM): it knows nothing of the channel, so no duplicate notices, no threads.
   */
  channelId: string | null;
  /** The bot is a member of the server it was used in. */
  botPresent: boolean;
  /** The channel is itself a thread. */
  inThread: boolean;
  /** The bot may open public threads there (true when Discord did not say). */
  canCreateThreads: boolean;
}

/** What the answer's plan is made from: the command's result, and what was learnt before sending. */
export interface AnswerFacts {
  result: Pick<CommandResult, "reply" | "thread" | "dedupeKey">;
  place: Place;
  /** The reply was deferred (the command asked for it, or ran long). */
  deferred: boolean;
  /**
   * Flood control's decision: "claimed" (the channel is ours, settle it), "posted" (a copy is
   * already there; its message id when known), or null (not held back: private, or no channel).
   */
  claim: { status: "claimed" } | { status: "posted"; messageId: string | null } | null;
}

/** The key flood control holds the channel by, for a public answer in a channel the bot knows; null otherwise. */
export function claimKeyOf(result: Pick<CommandResult, "reply" | "dedupeKey">, place: Place): string | null {
  return !isEphemeral(result.reply) && place.channelId ? (result.dedupeKey ?? null) : null;
}

/** The plan for a command's answer. */
export function planAnswer({ result, place, deferred, claim }: AnswerFacts): ReplyPlan {
  const send = deferred ? "edit" : "reply";
  if (claim?.status === "posted") {
    const where =
      claim.messageId && place.guildId
        ? `https://discord.com/channels/${place.guildId}/${place.channelId}/${claim.messageId}`
        : "just above";
    return planNotice(`That answer was posted in this channel moments ago: ${where}`, "duplicate", deferred);
  }
  const isPublic = !isEphemeral(result.reply);
  return {
    outcome: isPublic ? "answered" : "private",
    send,
    payload: result.reply,
    ephemeral: !isPublic,
    // An edit always returns the message; a reply only says which it needs.
    keepMessage: isPublic && result.thread ? "needed" : isPublic && result.dedupeKey ? "if-free" : "no",
    settlesClaim: claim?.status === "claimed",
    after: result.thread ? threadStep(result.thread.name, isPublic, place) : null,
  };
}

function threadStep(name: string, isPublic: boolean, place: Place): Afterwards | null {
  if (isPublic && !place.botPresent) {
    return {
      kind: "follow-up",
      payload: notice(
        place.guildId
          ? "I can't open a thread here: I'm installed for you, not for this server. The answer is above."
          : "Threads only exist in server channels, so the answer stays here.",
      ),
    };
  }
  if (!place.channelId) return null;
  if (place.inThread)
    return { kind: "no-thread", payload: notice("We're already in a thread, so the answer stays here.") };
  if (!place.canCreateThreads) {
    return {
      kind: "no-thread",
      payload: notice(
        "I couldn't open a thread here: I need the **Create Public Threads** permission in this channel.",
      ),
    };
  }
  return {
    kind: "thread",
    channelId: place.channelId,
    name,
    ifRefused: notice("I couldn't open a thread on that answer here (Discord refused)."),
  };
}

/** A private notice as the whole reply: a refusal, an error, a thanks. */
export function planNotice(text: string, outcome: Outcome, deferred = false): ReplyPlan {
  return {
    outcome,
    send: deferred ? "edit" : "reply",
    payload: notice(text),
    ephemeral: true,
    keepMessage: "no",
    settlesClaim: false,
    after: null,
  };
}

/** One person firing commands faster than a person reads: asked to slow down, the command not run. */
export function planThrottled(): ReplyPlan {
  return planNotice("You're going a bit fast; give it a few seconds and try again.", "throttled");
}
