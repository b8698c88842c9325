import type { Interaction } from "discord.js";
import type { AnyCommand } from "../../commands/index.ts";
import { UserFacingError } from "../answers/user-facing-error.ts";
import type { CommandServices } from "../command-kit/definition.ts";
import { missingServices } from "../command-kit/services.ts";
import { decodeCustomId } from "../payloads/custom-id.ts";
import { decodeFeedbackButton, decodeFeedbackModal } from "../payloads/feedback.ts";
import { answerFailure } from "./answer-failure.ts";
import { answerAutocomplete } from "./autocomplete-answer.ts";
import { answerCommand } from "./command-answer.ts";
import type { GapRecorder } from "./feedback.ts";
import { answerFeedbackButton, answerFeedbackVote } from "./feedback-answers.ts";
import type { FloodControl } from "./flood-control.ts";
import { handleOf, isBlankComponent, rawOptions } from "./interaction-facts.ts";
import type { KnowledgeHolder } from "./knowledge-holder.ts";
import type { Logger } from "./logger.ts";
import { UNKNOWN_USER_ID } from "./raw-interaction-guard.ts";
import type { Outcome } from "./reply-plan.ts";
import type { Responder } from "./respond.ts";

export interface DispatcherDeps {
  registry: ReadonlyMap<string, AnyCommand>;
  holder: KnowledgeHolder;
  responder: Responder;
  flood: FloodControl;
  logger: Logger;
  ownerIds: ReadonlySet<string>;
  /** What this instance provides; a command whose `needs` are not all here answers that it is not available. */
  services: Partial<CommandServices>;
  /** Told of every interaction handled (the metrics count them). */
  observe?: (kind: string, command: string, outcome: string, latencyMs: number) => void;
  /** Where gaps and "wrong or unhelpful" votes go; absent in the terminal preview. */
  gaps?: GapRecorder;
}

/** One interaction answered: what it was and how it ended, for the log line and the metrics. */
interface Handled {
  kind: "command" | "component" | "autocomplete" | "modal";
  command: string;
  outcome: Outcome;
}

/**
 * The one place interactions arrive: it routes commands, autocomplete, buttons, menus and forms to
 * what answers them (inside Discord's window, errors turned into replies), and logs one line per
 * interaction. Nothing a handler does can take the process down.
 */
export class Dispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private accepting = true;

  constructor(private readonly deps: DispatcherDeps) {
    // Checked once, at start-up: a command this instance cannot run is named in the log.
    for (const module of deps.registry.values()) {
      const missing = missingServices(module, deps.services);
      if (missing.length > 0) {
        deps.logger.warn({ command: module.definition.name, missing }, "command not available: services not provided");
      }
    }
  }

  /** Answers the interaction; the promise settles when it is done with (it never rejects). */
  handle(interaction: Interaction): Promise<void> {
    if (!this.accepting) return Promise.resolve();
    const started = performance.now();
    const work = this.route(interaction)
      .then((handled) => {
        if (handled) this.log(handled, started);
      })
      .catch((error) => this.deps.logger.error({ err: error }, "dispatch failed"));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Stops taking interactions and waits for those already being answered. */
  async drain(): Promise<void> {
    this.accepting = false;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Hands the interaction to what answers its kind; null for one that only gets an error (and no log line). */
  private async route(interaction: Interaction): Promise<Handled | null> {
    const { deps } = this;
    // Mended on arrival (raw-interaction-guard), with its one warning: it only gets a plain error.
    if (interaction.user.id === UNKNOWN_USER_ID || isBlankComponent(interaction)) {
      if (interaction.isAutocomplete()) {
        await deps.responder.autocomplete(handleOf(interaction), []);
        return null;
      }
      if (interaction.isRepliable()) {
        const unreadable = new UserFacingError("I couldn't read that interaction. Try again, or run the command anew.");
        await answerFailure(deps, interaction, unreadable, false);
      }
      return null;
    }
    if (interaction.isAutocomplete()) {
      const outcome = await answerAutocomplete(deps, interaction);
      return { kind: "autocomplete", command: interaction.commandName, outcome };
    }
    if (interaction.isChatInputCommand()) {
      const outcome = await answerCommand(deps, interaction, interaction.commandName, () =>
        rawOptions(interaction.options.data),
      );
      return { kind: "command", command: interaction.commandName, outcome };
    }
    const feedback = interaction.isButton() ? decodeFeedbackButton(interaction.customId) : null;
    if (interaction.isButton() && feedback) {
      return {
        kind: "component",
        command: "feedback",
        outcome: await answerFeedbackButton(deps, interaction, feedback),
      };
    }
    const vote = interaction.isModalSubmit() ? decodeFeedbackModal(interaction.customId) : null;
    if (interaction.isModalSubmit() && vote) {
      return { kind: "modal", command: "feedback", outcome: await answerFeedbackVote(deps, interaction, vote) };
    }
    if (interaction.isButton() || interaction.isStringSelectMenu()) {
      // A button or menu stands for a command: the entry it names, in the view it asks for.
      const action = decodeCustomId(interaction.customId);
      const module = action ? deps.registry.get(action.command) : undefined;
      if (!action || !module?.primaryOption) {
        deps.logger.warn({ customId: interaction.customId }, "unknown component");
        await answerFailure(deps, interaction, new UserFacingError("That button is no longer in use."), false);
        return null;
      }
      const entryId = interaction.isStringSelectMenu() ? (interaction.values[0] ?? "") : action.entryId;
      const outcome = await answerCommand(deps, interaction, action.command, () => ({
        [module.primaryOption!]: entryId,
        hide: action.ephemeral,
        ...(action.view && module.viewOption ? { [module.viewOption]: action.view } : {}),
      }));
      return { kind: "component", command: action.command, outcome };
    }
    if (interaction.isMessageContextMenuCommand()) {
      const { targetMessage } = interaction;
      const outcome = await answerCommand(deps, interaction, interaction.commandName, () => ({}), {
        targetMessage: {
          id: targetMessage.id,
          content: targetMessage.content ?? "",
          authorId: targetMessage.author.id,
        },
      });
      return { kind: "command", command: interaction.commandName, outcome };
    }
    // A modal, a context-menu command or anything newer: say so rather than leave the user waiting.
    deps.logger.warn({ interactionId: interaction.id, type: interaction.type }, "unhandled interaction type");
    if (interaction.isRepliable()) {
      await answerFailure(
        deps,
        interaction,
        new UserFacingError("I don't handle that kind of interaction. Try /help."),
        false,
      );
    }
    return null;
  }

  private log({ kind, command, outcome }: Handled, started: number): void {
    const latencyMs = Number((performance.now() - started).toFixed(2));
    this.deps.logger.info({ kind, command, latencyMs, outcome }, "interaction");
    this.deps.observe?.(kind, command, outcome, latencyMs);
  }
}
