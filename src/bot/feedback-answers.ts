import type { ButtonInteraction, ModalSubmitInteraction } from "discord.js";
import { UserFacingError } from "../answers/user-facing-error.ts";
import { FEEDBACK_REASON_FIELD, type FeedbackTarget, feedbackModal } from "../payloads/feedback.ts";
import { answerFailure } from "./answer-failure.ts";
import type { DispatcherDeps } from "./dispatcher.ts";
import { askedIn } from "./feedback.ts";
import { handleOf } from "./interaction-facts.ts";
import { type Outcome, planNotice } from "./reply-plan.ts";

/** "Wrong or unhelpful?": opens the one-line form for whoever clicked. */
export async function answerFeedbackButton(
  deps: DispatcherDeps,
  interaction: ButtonInteraction,
  target: FeedbackTarget,
): Promise<Outcome> {
  try {
    if (!deps.gaps) throw new UserFacingError("Feedback isn't recorded here.");
    await deps.responder.showModal(handleOf(interaction), feedbackModal(interaction.message.id, target));
    return "answered";
  } catch (error) {
    return answerFailure(deps, interaction, error, false);
  }
}

/** The form sent: one vote per person and answer, thanked privately, nothing posted in the channel. */
export async function answerFeedbackVote(
  deps: DispatcherDeps,
  interaction: ModalSubmitInteraction,
  target: FeedbackTarget & { messageId: string },
): Promise<Outcome> {
  try {
    if (!deps.gaps) throw new UserFacingError("Feedback isn't recorded here.");
    const reason = interaction.fields.fields.get(FEEDBACK_REASON_FIELD);
    const recorded = await deps.gaps.recordVote(deps.holder.knowledge, {
      ...target,
      guildId: interaction.guildId,
      userId: interaction.user.id,
      reason: reason && "value" in reason ? String(reason.value) : null,
      question: askedIn(interaction.message?.content),
    });
    const plan = planNotice(
      recorded
        ? "Thanks: noted for the server's admins (`/gaps show`) and the site's editors. Nothing was posted."
        : "You already marked this answer; thanks.",
      "private",
    );
    await deps.responder.carryOut(handleOf(interaction), plan);
    return plan.outcome;
  } catch (error) {
    return answerFailure(deps, interaction, error, false);
  }
}
