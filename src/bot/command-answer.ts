import { UserFacingError } from "../answers/user-facing-error.ts";
import type { CommandContext } from "../command-kit/definition.ts";
import { parseOptions, type RawOptions } from "../command-kit/options.ts";
import { requireServices } from "../command-kit/services.ts";
import { answerFailure } from "./answer-failure.ts";
import type { DispatcherDeps } from "./dispatcher.ts";
import { type AnsweredInteraction, contextOf, handleOf, placeOf } from "./interaction-facts.ts";
import { type AnswerFacts, claimKeyOf, type Outcome, planAnswer, planThrottled } from "./reply-plan.ts";
import type { Responder } from "./respond.ts";
import { withinBudget } from "./time-budget.ts";

/** How long a command may run before it is deferred: under Discord's 3 s, with room for the call. */
const SLOW_RUN_MS = 2000;

/**
 * Answers a command (a slash command, a message command, or a button or menu standing for one):
 * runs it, deferring the reply where it is slow, learns what the reply depends on (flood control,
 * the place), plans the reply once, and has the responder carry the plan out once.
 */
export async function answerCommand(
  deps: DispatcherDeps,
  interaction: AnsweredInteraction,
  name: string,
  readOptions: () => RawOptions,
  extraContext: Partial<CommandContext> = {},
): Promise<Outcome> {
  const { responder, flood } = deps;
  const handle = handleOf(interaction);
  let deferred = false;
  try {
    const module = deps.registry.get(name);
    if (!module) throw new UserFacingError(`There is no command /${name} any more. Try /help.`);
    const services = requireServices(module, deps.services);
    // One person going too fast is asked to slow down before anything runs.
    if (!flood.allowUser(interaction.user.id)) {
      const plan = planThrottled();
      await responder.carryOut(handle, plan);
      return plan.outcome;
    }
    const options = parseOptions(module.definition, readOptions());
    const deferral = typeof module.defer === "function" ? module.defer(options) : module.defer;
    if (deferral) {
      await responder.defer(handle, deferral === "ephemeral");
      deferred = true;
    }
    const context = { ...contextOf(interaction, deps.holder, deps.ownerIds), ...extraContext, services };
    const running = Promise.resolve(module.run(context, options));
    // A command that has not finished well inside Discord's 3 s (a database that stopped answering
    // under /digest status) is deferred privately, so its answer or its error still reaches the admin.
    if (!deferred && (await settlesWithin(running, SLOW_RUN_MS)) === false) {
      await responder.defer(handle, true);
      deferred = true;
    }
    const result = await running;
    // What the content could not answer is remembered; the answer never waits on it.
    if (result.gap && deps.gaps) {
      const gap = deps.gaps.recordGap(deps.holder.knowledge, interaction.guildId, result.gap);
      void gap.catch((error) => deps.logger.warn({ err: error }, "could not record a gap"));
    }
    // Everything the reply depends on is learnt first; then it is planned, then sent.
    const place = placeOf(interaction);
    const key = claimKeyOf(result, place);
    const claim = key && place.channelId ? await flood.takeAnswer(place.channelId, key) : null;
    let claimFact: AnswerFacts["claim"] = claim && { status: "claimed" };
    if (claim?.status === "posted") {
      const messageId = claim.messageId ?? (await firstCopyId(responder, handle.applicationId, claim.interactionToken));
      claimFact = { status: "posted", messageId };
    }
    const plan = planAnswer({ result, place, deferred, claim: claimFact });
    const settle = plan.settlesClaim && claim?.status === "claimed" ? claim.settle : undefined;
    await responder.carryOut(handle, plan, {
      answered: (message) =>
        settle?.(
          message === undefined ? undefined : { messageId: message?.id ?? null, interactionToken: handle.token },
        ),
      threadRefused: (error) => deps.logger.warn({ err: error, channelId: place.channelId }, "thread creation failed"),
    });
    return plan.outcome;
  } catch (error) {
    return answerFailure(deps, interaction, error, deferred);
  }
}

/** The id of a first copy known only by its interaction's token (answered over HTTP): looked up now, when needed. */
async function firstCopyId(responder: Responder, applicationId: string, token: string | null): Promise<string | null> {
  if (!token) return null;
  const message = await responder.originalMessage(applicationId, token, { patient: false }).catch(() => null);
  return message?.id ?? null;
}

/** Whether a promise settles (either way) within a time; its outcome is read by whoever awaits it. */
function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return withinBudget(
    work.then(
      () => true,
      () => true,
    ),
    ms,
    () => false,
  );
}
