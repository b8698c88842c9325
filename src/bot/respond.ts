import type { REST } from "discord.js";
import {
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type APIThreadChannel,
  InteractionResponseType,
  MessageFlags,
  RESTJSONErrorCodes,
  type RESTPostAPIInteractionCallbackWithResponseResult,
  Routes,
  ThreadAutoArchiveDuration,
} from "discord-api-types/v10";
import type { Choice } from "../command-kit/definition.ts";
import { fitChoices } from "../payloads/limits.ts";
import type { ReplyPayload } from "../payloads/reply.ts";
import type { CallbackBody, PendingHttpResponses } from "./pending-http-responses.ts";
import type { ReplyPlan } from "./reply-plan.ts";

/** The ids an interaction response needs. */
export interface InteractionHandle {
  id: string;
  token: string;
  applicationId: string;
}

/**
 * Tries at fetching the reply Discord made from an HTTP answer: Discord reads our response after we
 * have sent it, so the first look can come too early and find no message (or no webhook) yet.
 */
const ORIGINAL_FETCH_DELAYS_MS = [0, 25, 50, 100, 200, 400, 800];
const NOT_THERE_YET = new Set<number>([RESTJSONErrorCodes.UnknownMessage, RESTJSONErrorCodes.UnknownWebhook]);

/** Told, as a plan is carried out, what the dispatcher still has to record. */
export interface CarryOutHooks {
  /** Once, right after the answer: its message (null when Discord did not return it), or undefined when sending failed. */
  answered?: (message: APIMessage | null | undefined) => void;
  /** Discord refused the thread the plan asked for (the user is told by the plan's notice). */
  threadRefused?: (error: unknown) => void;
}

/**
 * Every response the bot makes goes through here, as the exact JSON the payload builders produced:
 * nothing is rebuilt on the way out, and interaction callbacks skip discord.js's message layer
 * (the callback route carries no bot token). An interaction that came over HTTP gets its first
 * answer in the HTTP response; the same calls work for both transports.
 */
export class Responder {
  constructor(
    private readonly rest: REST,
    private readonly pendingHttp?: PendingHttpResponses,
  ) {}

  /**
   * Sends everything a reply plan says, in order: the answer (as the reply, or into the deferred
   * one), then what follows it (a notice, or a thread on the answer). Failures are thrown, except a
   * refused thread, which the plan answers with its own notice.
   */
  async carryOut(handle: InteractionHandle, plan: ReplyPlan, hooks: CarryOutHooks = {}): Promise<APIMessage | null> {
    let message: APIMessage | null;
    try {
      message =
        plan.send === "edit"
          ? await this.editOriginal(handle, plan.payload)
          : await this.reply(handle, plan.payload, {
              withMessage: plan.keepMessage !== "no",
              needMessage: plan.keepMessage === "needed",
            });
    } catch (error) {
      hooks.answered?.(undefined);
      throw error;
    }
    hooks.answered?.(message);
    const { after } = plan;
    if (after?.kind === "follow-up") await this.followUp(handle, after.payload);
    else if (after?.kind === "no-thread" && message) await this.followUp(handle, after.payload);
    else if (after?.kind === "thread" && message) {
      try {
        await this.startThread(after.channelId, message.id, after.name);
      } catch (error) {
        hooks.threadRefused?.(error);
        await this.followUp(handle, after.ifRefused);
      }
    }
    return message;
  }

  /**
   * Answers at once. `withMessage` asks for the posted message where it comes with the answer (a
   * REST callback returns it); `needMessage` fetches it where it does not (an answer in the HTTP
   * response), at the cost of one more request: only when the message is needed now (a thread on it).
   */
  async reply(
    handle: InteractionHandle,
    payload: ReplyPayload,
    { withMessage = false, needMessage = false } = {},
  ): Promise<APIMessage | null> {
    return this.callback(
      handle,
      { type: InteractionResponseType.ChannelMessageWithSource, data: payload },
      withMessage || needMessage,
      needMessage,
    );
  }

  /** Opens a modal (a form) for the person who clicked. */
  async showModal(handle: InteractionHandle, modal: APIModalInteractionResponseCallbackData): Promise<void> {
    await this.callback(handle, { type: InteractionResponseType.Modal, data: modal }, false);
  }

  async defer(handle: InteractionHandle, ephemeral: boolean): Promise<void> {
    await this.callback(
      handle,
      {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: ephemeral ? MessageFlags.Ephemeral : 0 },
      },
      false,
    );
  }

  private async callback(
    handle: InteractionHandle,
    body: CallbackBody,
    withMessage: boolean,
    needMessage = false,
  ): Promise<APIMessage | null> {
    const answerOverHttp = this.pendingHttp?.take(handle.id);
    if (answerOverHttp) {
      await answerOverHttp(body);
      return needMessage ? this.originalMessage(handle.applicationId, handle.token) : null;
    }
    const response = (await this.rest.post(Routes.interactionCallback(handle.id, handle.token), {
      body,
      query: new URLSearchParams({ with_response: String(withMessage) }),
      auth: false,
    })) as RESTPostAPIInteractionCallbackWithResponseResult | undefined;
    return response?.resource?.message ?? null;
  }

  /**
   * The reply an interaction posted (an answer in the HTTP response carries no message), looked up
   * by its token; `patient` keeps looking while Discord may not have stored it yet.
   */
  async originalMessage(applicationId: string, token: string, { patient = true } = {}): Promise<APIMessage | null> {
    for (const wait of patient ? ORIGINAL_FETCH_DELAYS_MS : ORIGINAL_FETCH_DELAYS_MS.slice(0, 3)) {
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        return (await this.rest.get(Routes.webhookMessage(applicationId, token, "@original"), {
          auth: false,
        })) as APIMessage;
      } catch (error) {
        if (!NOT_THERE_YET.has(Number((error as { code?: unknown }).code))) throw error;
      }
    }
    return null;
  }

  async editOriginal(handle: InteractionHandle, payload: ReplyPayload): Promise<APIMessage> {
    return (await this.rest.patch(Routes.webhookMessage(handle.applicationId, handle.token, "@original"), {
      body: payload,
      auth: false,
    })) as APIMessage;
  }

  async followUp(handle: InteractionHandle, payload: ReplyPayload): Promise<APIMessage> {
    return (await this.rest.post(Routes.webhook(handle.applicationId, handle.token), {
      body: payload,
      query: new URLSearchParams({ wait: "true" }),
      auth: false,
    })) as APIMessage;
  }

  async autocomplete(handle: InteractionHandle, choices: readonly Choice[]): Promise<void> {
    await this.callback(
      handle,
      { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: fitChoices(choices) } },
      false,
    );
  }

  /** Opens a public thread on a posted message, for the discussion to continue there. */
  async startThread(channelId: string, messageId: string, name: string): Promise<APIThreadChannel> {
    return (await this.rest.post(Routes.threads(channelId, messageId), {
      body: { name, auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
    })) as APIThreadChannel;
  }

  /** The channel's newest messages, newest first (needs Read Message History). */
  async recentMessages(channelId: string, limit = 50): Promise<APIMessage[]> {
    return (await this.rest.get(Routes.channelMessages(channelId), {
      query: new URLSearchParams({ limit: String(limit) }),
    })) as APIMessage[];
  }

  /** Posts a message in a channel (outside any interaction). */
  async send(
    channelId: string,
    payload: ReplyPayload & { nonce?: string; enforce_nonce?: boolean },
  ): Promise<APIMessage> {
    return (await this.rest.post(Routes.channelMessages(channelId), { body: payload })) as APIMessage;
  }
}
