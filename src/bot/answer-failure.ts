import type { BaseInteraction } from "discord.js";
import { failureReply } from "./failure-reply.ts";
import { failedInteraction, handleOf, isUnknownInteraction } from "./interaction-facts.ts";
import type { Logger } from "./logger.ts";
import type { Outcome } from "./reply-plan.ts";
import type { Responder } from "./respond.ts";

/**
 * Tells the user that their interaction failed, privately (into the deferred reply when there is
 * one), and the operator why; an interaction that expired gets nothing. Never throws.
 */
export async function answerFailure(
  { responder, logger }: { responder: Responder; logger: Logger },
  interaction: BaseInteraction,
  error: unknown,
  deferred: boolean,
): Promise<Outcome> {
  const { plan, log } = failureReply(error, failedInteraction(interaction), isUnknownInteraction(error), deferred);
  if (log) logger[log.level](log.fields, log.msg);
  if (!plan) return "expired";
  try {
    await responder.carryOut(handleOf(interaction), plan);
  } catch (replyError) {
    if (!isUnknownInteraction(replyError)) logger.warn({ err: replyError }, "could not send the error reply");
  }
  return plan.outcome;
}
