import type { REST } from "discord.js";
import {
  type APIMessage,
  type APIThreadChannel,
  InteractionResponseType,
  MessageFlags,
  type RESTPostAPIInteractionCallbackWithResponseResult,
  Routes,
} from "discord-api-types/v10";
import type { Choice } from "../command-kit/definition.ts";
import { fitChoices } from "../payloads/limits.ts";
import type { ReplyPayload } from "../payloads/reply.ts";

/** The ids an interaction response needs. */
export interface InteractionHandle {
  id: string;
  token: string;
  applicationId: string;
}

/**
 * Every response the bot makes goes through here, as the exact JSON the payload builders produced:
 * nothing is rebuilt on the way out, and interaction callbacks skip discord.js's message layer
 * (the callback route carries no bot token).
 */
export class Responder {
  constructor(private readonly rest: REST) {}

  /** Answers at once; returns the posted message when Discord sends it back. */
  async reply(
    handle: InteractionHandle,
    payload: ReplyPayload,
    { withMessage = false } = {},
  ): Promise<APIMessage | null> {
    const response = (await this.rest.post(Routes.interactionCallback(handle.id, handle.token), {
      body: { type: InteractionResponseType.ChannelMessageWithSource, data: payload },
      query: new URLSearchParams({ with_response: String(withMessage) }),
      auth: false,
    })) as RESTPostAPIInteractionCallbackWithResponseResult | undefined;
    return response?.resource?.message ?? null;
  }

  async defer(handle: InteractionHandle, ephemeral: boolean): Promise<void> {
    await this.rest.post(Routes.interactionCallback(handle.id, handle.token), {
      body: {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: ephemeral ? MessageFlags.Ephemeral : 0 },
      },
      query: new URLSearchParams({ with_response: "false" }),
      auth: false,
    });
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
    await this.rest.post(Routes.interactionCallback(handle.id, handle.token), {
      body: {
        type: InteractionResponseType.ApplicationCommandAutocompleteResult,
        data: { choices: fitChoices(choices) },
      },
      auth: false,
    });
  }

  /** Opens a public thread on a posted message, for the discussion to continue there. */
  async startThread(channelId: string, messageId: string, name: string): Promise<APIThreadChannel> {
    return (await this.rest.post(Routes.threads(channelId, messageId), {
      body: { name, auto_archive_duration: 1440 },
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
