import { randomBytes } from "node:crypto";
import {
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  DiscordAPIError,
  type Interaction,
  type MessageComponentInteraction,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from "discord.js";
import type { AnyCommand } from "../../commands/index.ts";
import { UserFacingError } from "../answers/user-facing-error.ts";
import type { CommandContext, CommandResult, CommandServices } from "../command-kit/definition.ts";
import { maxLengthOf, parseOptions, type RawOptions } from "../command-kit/options.ts";
import { missingServices, requireServices, servicesFor } from "../command-kit/services.ts";
import { decodeCustomId } from "../payloads/custom-id.ts";
import {
  decodeFeedbackButton,
  decodeFeedbackModal,
  FEEDBACK_REASON_FIELD,
  feedbackModal,
} from "../payloads/feedback.ts";
import { isEphemeral, notice } from "../payloads/reply.ts";
import { databaseUnreachable, StoreWriteError } from "../store/store.ts";
import { askedIn, type GapRecorder } from "./feedback.ts";
import type { FloodControl } from "./flood-control.ts";
import type { KnowledgeHolder } from "./knowledge-holder.ts";
import type { Logger } from "./logger.ts";
import { UNKNOWN_USER_ID } from "./raw-interaction-guard.ts";
import type { InteractionHandle, Responder } from "./respond.ts";
import { withinBudget } from "./time-budget.ts";

/** A button, menu or modal that arrived without its data (mended to an empty custom id). */
function isBlankComponent(interaction: Interaction): boolean {
  return (interaction.isMessageComponent() || interaction.isModalSubmit()) && interaction.customId === "";
}
/** How long a command may run before it is deferred: under Discord's 3 s, with room for the call. */
const SLOW_RUN_MS = 2000;

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

type Outcome = "answered" | "private" | "duplicate" | "throttled" | "user-error" | "error" | "expired" | "malformed";

/**
 * The one place interactions arrive: it routes commands, autocomplete, buttons and menus through
 * the command registry, answers each inside Discord's window, turns errors into replies, and logs
 * one line per interaction. Nothing a handler does can take the process down.
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
    const work = this.route(interaction).catch((error) => this.deps.logger.error({ err: error }, "dispatch failed"));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Stops taking interactions and waits for those already being answered. */
  async drain(): Promise<void> {
    this.accepting = false;
    await Promise.allSettled([...this.inFlight]);
  }

  private async route(interaction: Interaction): Promise<void> {
    // Mended on arrival (raw-interaction-guard), with its one warning: it only gets a plain error.
    if (interaction.user.id === UNKNOWN_USER_ID || isBlankComponent(interaction)) {
      if (interaction.isAutocomplete()) return this.deps.responder.autocomplete(handleOf(interaction), []);
      if (interaction.isRepliable())
        await this.deliverError(
          interaction,
          handleOf(interaction),
          new UserFacingError("I couldn't read that interaction. Try again, or run the command anew."),
          false,
        );
      return;
    }
    if (interaction.isAutocomplete()) return this.autocomplete(interaction);
    if (interaction.isChatInputCommand()) {
      return this.command(interaction, interaction.commandName, () => rawOptions(interaction.options.data));
    }
    if (interaction.isButton() && decodeFeedbackButton(interaction.customId)) return this.feedbackButton(interaction);
    if (interaction.isModalSubmit() && decodeFeedbackModal(interaction.customId)) return this.feedbackVote(interaction);
    if (interaction.isButton() || interaction.isStringSelectMenu()) return this.component(interaction);
    if (interaction.isMessageContextMenuCommand()) {
      const { targetMessage } = interaction;
      return this.command(interaction, interaction.commandName, () => ({}), {
        targetMessage: {
          id: targetMessage.id,
          content: targetMessage.content ?? "",
          authorId: targetMessage.author.id,
        },
      });
    }
    // A modal, a context-menu command or anything newer: say so rather than leave the user waiting.
    this.deps.logger.warn({ interactionId: interaction.id, type: interaction.type }, "unhandled interaction type");
    if (interaction.isRepliable()) {
      await this.deliverError(
        interaction,
        handleOf(interaction),
        new UserFacingError("I don't handle that kind of interaction. Try /help."),
        false,
      );
    }
  }

  private context(interaction: BaseInteraction): CommandContext {
    return {
      knowledge: this.deps.holder.knowledge,
      userId: interaction.user.id,
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      isOwner: this.deps.ownerIds.has(interaction.user.id),
      memberPermissions: interaction.memberPermissions?.bitfield.toString() ?? null,
      appPermissions: interaction.appPermissions?.bitfield.toString() ?? null,
      services: {},
    };
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const started = performance.now();
    const handle = handleOf(interaction);
    let outcome: Outcome = "answered";
    try {
      const module = this.deps.registry.get(interaction.commandName);
      const focused = focusedOption(interaction);
      if (!focused) {
        outcome = "malformed";
        this.deps.logger.warn(
          { interactionId: interaction.id, command: interaction.commandName },
          "autocomplete without a focused option",
        );
      }
      // A command this instance cannot run suggests nothing.
      const services = module ? servicesFor(module, this.deps.services) : null;
      const choices =
        module?.autocomplete && focused && services
          ? await module.autocomplete(
              { ...this.context(interaction), services },
              {
                name: focused.name,
                value: String(focused.value).slice(0, maxLengthOf(module.definition, focused.name)),
              },
            )
          : [];
      await this.deps.responder.autocomplete(handle, choices);
    } catch (error) {
      outcome = isUnknownInteraction(error) ? "expired" : "error";
      if (outcome === "error") {
        this.deps.logger.error({ err: error, command: interaction.commandName }, "autocomplete failed");
        // An empty list closes the user's spinner; a second failure is not worth more than a line.
        await this.deps.responder.autocomplete(handle, []).catch(() => undefined);
      }
    }
    this.log("autocomplete", interaction.commandName, started, outcome);
  }

  /** "Wrong or unhelpful?": opens the one-line form for whoever clicked. */
  private async feedbackButton(interaction: ButtonInteraction): Promise<void> {
    const started = performance.now();
    const target = decodeFeedbackButton(interaction.customId)!;
    let outcome: Outcome = "answered";
    try {
      if (!this.deps.gaps) throw new UserFacingError("Feedback isn't recorded here.");
      await this.deps.responder.showModal(handleOf(interaction), feedbackModal(interaction.message.id, target));
    } catch (error) {
      outcome = await this.deliverError(interaction, handleOf(interaction), error, false);
    }
    this.log("component", "feedback", started, outcome);
  }

  /** The form sent: one vote per person and answer, thanked privately, nothing posted in the channel. */
  private async feedbackVote(interaction: ModalSubmitInteraction): Promise<void> {
    const started = performance.now();
    const target = decodeFeedbackModal(interaction.customId)!;
    const handle = handleOf(interaction);
    let outcome: Outcome = "private";
    try {
      if (!this.deps.gaps) throw new UserFacingError("Feedback isn't recorded here.");
      const reason = interaction.fields.fields.get(FEEDBACK_REASON_FIELD);
      const recorded = await this.deps.gaps.recordVote(this.deps.holder.knowledge, {
        ...target,
        guildId: interaction.guildId,
        userId: interaction.user.id,
        reason: reason && "value" in reason ? String(reason.value) : null,
        question: askedIn(interaction.message?.content),
      });
      await this.deps.responder.reply(
        handle,
        notice(
          recorded
            ? "Thanks: noted for the server's admins (`/gaps show`) and the site's editors. Nothing was posted."
            : "You already marked this answer; thanks.",
        ),
      );
    } catch (error) {
      outcome = await this.deliverError(interaction, handle, error, false);
    }
    this.log("modal", "feedback", started, outcome);
  }

  private async component(interaction: MessageComponentInteraction): Promise<void> {
    const action = decodeCustomId(interaction.customId);
    const module = action ? this.deps.registry.get(action.command) : undefined;
    if (!action || !module?.primaryOption) {
      this.deps.logger.warn({ customId: interaction.customId }, "unknown component");
      await this.deliverError(
        interaction,
        handleOf(interaction),
        new UserFacingError("That button is no longer in use."),
        false,
      );
      return;
    }
    const entryId = interaction.isStringSelectMenu() ? (interaction.values[0] ?? "") : action.entryId;
    await this.command(interaction, action.command, () => ({
      [module.primaryOption!]: entryId,
      hide: action.ephemeral,
      ...(action.view && module.viewOption ? { [module.viewOption]: action.view } : {}),
    }));
  }

  private async command(
    interaction: AnsweredInteraction,
    name: string,
    readOptions: () => RawOptions,
    extraContext: Partial<CommandContext> = {},
  ): Promise<void> {
    const started = performance.now();
    const handle = handleOf(interaction);
    const module = this.deps.registry.get(name);
    let deferred = false;
    let outcome: Outcome = "answered";
    try {
      if (!module) throw new UserFacingError(`There is no command /${name} any more. Try /help.`);
      const services = requireServices(module, this.deps.services);
      if (!this.deps.flood.allowUser(interaction.user.id)) {
        outcome = "throttled";
        await this.deps.responder.reply(
          handle,
          notice("You're going a bit fast; give it a few seconds and try again."),
        );
        return;
      }
      const options = parseOptions(module.definition, readOptions());
      const deferral = typeof module.defer === "function" ? module.defer(options) : module.defer;
      if (deferral) {
        await this.deps.responder.defer(handle, deferral === "ephemeral");
        deferred = true;
      }
      const running = Promise.resolve(module.run({ ...this.context(interaction), ...extraContext, services }, options));
      // A command that has not finished well inside Discord's 3 s (a database that stopped answering
      // under /digest status) is deferred privately, so its answer or its error still reaches the admin.
      if (!deferred && (await settlesWithin(running, SLOW_RUN_MS)) === false) {
        await this.deps.responder.defer(handle, true);
        deferred = true;
      }
      const result = await running;
      // What the content could not answer is remembered; the answer never waits on it.
      if (result.gap && this.deps.gaps) {
        const gap = this.deps.gaps.recordGap(this.deps.holder.knowledge, interaction.guildId, result.gap);
        void gap.catch((error) => this.deps.logger.warn({ err: error }, "could not record a gap"));
      }
      outcome = await this.deliver(interaction, handle, result, deferred);
    } catch (error) {
      outcome = await this.deliverError(interaction, handle, error, deferred);
    } finally {
      this.log(interaction.isMessageComponent() ? "component" : "command", name, started, outcome);
    }
  }

  private async deliver(
    interaction: AnsweredInteraction,
    handle: InteractionHandle,
    result: CommandResult,
    deferred: boolean,
  ): Promise<Outcome> {
    const { responder, flood } = this.deps;
    const isPublic = !isEphemeral(result.reply);
    // Where the bot is not a member (installed by a user, or a DM) it knows nothing of the channel:
    // no duplicate notices, no threads.
    const botPresent = interaction.inCachedGuild() || installedInServer(interaction);
    const channelId = botPresent ? interaction.channelId : null;
    const dedupeKey = isPublic && channelId ? result.dedupeKey : undefined;
    const claim = dedupeKey && channelId ? await flood.takeAnswer(channelId, dedupeKey) : undefined;
    if (claim?.status === "posted") {
      const messageId = claim.messageId ?? (await this.firstCopyId(interaction.applicationId, claim.interactionToken));
      const where =
        messageId && interaction.guildId
          ? `https://discord.com/channels/${interaction.guildId}/${channelId}/${messageId}`
          : "just above";
      const text = `That answer was posted in this channel moments ago: ${where}`;
      await (deferred ? responder.editOriginal(handle, notice(text)) : responder.reply(handle, notice(text)));
      return "duplicate";
    }
    const settleClaim = claim?.settle;
    let message: Awaited<ReturnType<typeof responder.reply>>;
    try {
      message = deferred
        ? await responder.editOriginal(handle, result.reply)
        : await responder.reply(handle, result.reply, {
            // Where the message comes free with the answer, keep it for a duplicate's link; a thread needs it.
            withMessage: isPublic && Boolean(result.dedupeKey),
            needMessage: isPublic && Boolean(result.thread),
          });
    } catch (error) {
      settleClaim?.(undefined);
      throw error;
    }
    settleClaim?.({ messageId: message?.id ?? null, interactionToken: handle.token });
    if (result.thread && isPublic && !botPresent) {
      await responder.followUp(
        handle,
        notice(
          interaction.guildId
            ? "I can't open a thread here: I'm installed for you, not for this server. The answer is above."
            : "Threads only exist in server channels, so the answer stays here.",
        ),
      );
    } else if (result.thread && message && channelId) {
      await this.openThread(interaction, handle, channelId, message.id, result.thread.name);
    }
    return isPublic ? "answered" : "private";
  }

  /** The id of a first copy known only by its interaction's token (answered over HTTP): looked up now, when needed. */
  private async firstCopyId(applicationId: string, token: string | null): Promise<string | null> {
    if (!token) return null;
    const message = await this.deps.responder
      .originalMessage(applicationId, token, { patient: false })
      .catch(() => null);
    return message?.id ?? null;
  }

  private async openThread(
    interaction: AnsweredInteraction,
    handle: InteractionHandle,
    channelId: string,
    messageId: string,
    name: string,
  ): Promise<void> {
    const { responder } = this.deps;
    if (interaction.channel?.isThread()) {
      await responder.followUp(handle, notice("We're already in a thread, so the answer stays here."));
      return;
    }
    const permissions = interaction.appPermissions;
    if (permissions && !permissions.has(PermissionFlagsBits.CreatePublicThreads)) {
      await responder.followUp(
        handle,
        notice("I couldn't open a thread here: I need the **Create Public Threads** permission in this channel."),
      );
      return;
    }
    try {
      await responder.startThread(channelId, messageId, name);
    } catch (error) {
      this.deps.logger.warn({ err: error, channelId }, "thread creation failed");
      await responder.followUp(handle, notice("I couldn't open a thread on that answer here (Discord refused)."));
    }
  }

  private async deliverError(
    interaction: BaseInteraction,
    handle: InteractionHandle,
    error: unknown,
    deferred: boolean,
  ): Promise<Outcome> {
    if (isUnknownInteraction(error)) {
      this.deps.logger.debug({ interactionId: interaction.id }, "interaction expired before the answer");
      return "expired";
    }
    let outcome: Outcome = "user-error";
    let payload = notice(error instanceof Error ? error.message : String(error));
    if (error instanceof StoreWriteError) {
      // The admin should know it was not saved and why; the operator gets the path and the cause.
      outcome = "error";
      const errorId = randomBytes(4).toString("hex");
      this.deps.logger.error({ err: error, errorId, kind: error.kind, path: error.path }, "database write failed");
      const cause =
        error.kind === "disk-full"
          ? "the bot's disk is full"
          : error.kind === "unreachable"
            ? "the bot's database server could not be reached"
            : "the bot's database could not be written";
      payload = notice(
        `I couldn't save that: ${cause}. Nothing was changed; tell the bot's operator (error id \`${errorId}\`).`,
      );
    } else if (databaseUnreachable(error)) {
      // A read that the database could not answer: the admin learns it is the database, not them.
      outcome = "error";
      const errorId = randomBytes(4).toString("hex");
      this.deps.logger.error({ err: error, errorId, interactionId: interaction.id }, "database not answering");
      payload = notice(
        `I couldn't read that: the bot's database server is not answering. Try again in a minute; if it lasts, tell the bot's operator (error id \`${errorId}\`).`,
      );
    } else if (!(error instanceof UserFacingError)) {
      outcome = "error";
      const errorId = randomBytes(4).toString("hex");
      this.deps.logger.error(
        {
          err: error,
          errorId,
          interactionId: interaction.id,
          user: interaction.user.id,
          guild: interaction.guildId,
          channel: interaction.channelId,
          ...(interaction.isChatInputCommand() ? { command: interaction.commandName } : {}),
        },
        "interaction failed",
      );
      payload = notice(
        `Something went wrong on my side. If it keeps happening, tell the server's admins: error id \`${errorId}\`.`,
      );
    }
    try {
      await (deferred ? this.deps.responder.editOriginal(handle, payload) : this.deps.responder.reply(handle, payload));
    } catch (replyError) {
      if (!isUnknownInteraction(replyError))
        this.deps.logger.warn({ err: replyError }, "could not send the error reply");
    }
    return outcome;
  }

  private log(kind: string, command: string, started: number, outcome: Outcome): void {
    const latencyMs = Number((performance.now() - started).toFixed(2));
    this.deps.logger.info({ kind, command, latencyMs, outcome }, "interaction");
    this.deps.observe?.(kind, command, outcome, latencyMs);
  }
}

/** The interactions the dispatcher answers with a command's result. */
type AnsweredInteraction =
  | ChatInputCommandInteraction
  | MessageComponentInteraction
  | MessageContextMenuCommandInteraction;

function handleOf(interaction: BaseInteraction): InteractionHandle {
  return { id: interaction.id, token: interaction.token, applicationId: interaction.applicationId };
}

/**
 * Installed to the server the interaction came from (not only to the user): what an interaction
 * over HTTP says of itself, where no gateway cache knows the server.
 */
function installedInServer(interaction: BaseInteraction): boolean {
  const owners = interaction.authorizingIntegrationOwners as Partial<Record<ApplicationIntegrationType, string>> | null;
  return Boolean(interaction.guildId) && owners?.[ApplicationIntegrationType.GuildInstall] === interaction.guildId;
}

export function isUnknownInteraction(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction;
}

/** The option being typed in, or null when a malformed interaction has none. */
function focusedOption(interaction: AutocompleteInteraction): { name: string; value: string | number } | null {
  try {
    return interaction.options.getFocused(true);
  } catch {
    return null;
  }
}

function rawOptions(data: readonly CommandInteractionOption[]): RawOptions {
  const raw: RawOptions = {};
  for (const option of data) {
    if (option.type === ApplicationCommandOptionType.Subcommand) {
      raw.subcommand = option.name;
      Object.assign(raw, rawOptions(option.options ?? []));
    } else {
      raw[option.name] = option.value;
    }
  }
  return raw;
}
