import type { APIAllowedMentions, APIInteractionResponseCallbackData } from "discord-api-types/v10";
import { MessageFlags } from "discord-api-types/v10";
import { fitMessage, type MessageParts } from "./limits.ts";

/** The JSON body Discord receives for a reply (interaction callback data or a channel message). */
export type ReplyPayload = APIInteractionResponseCallbackData & {
  allowed_mentions: APIAllowedMentions;
};

export interface ReplyOptions {
  ephemeral?: boolean;
  /** The one user this answer is addressed to: the only mention that may ping. */
  mentionUserId?: string | null;
}

/**
 * The single way a reply is made: it fits Discord's limits, sets allowed mentions so that nothing
 * but the addressed user can be pinged, and marks private replies ephemeral.
 */
export function reply(
  parts: MessageParts,
  { ephemeral = false, mentionUserId = null }: ReplyOptions = {},
): ReplyPayload {
  const validUser = mentionUserId && /^\d{15,21}$/.test(mentionUserId) ? mentionUserId : null;
  const addressed = validUser ? `*Suggestion for <@${validUser}>:*` : undefined;
  const content = [addressed, parts.content].filter(Boolean).join("\n");
  const payload: ReplyPayload = {
    ...fitMessage({ ...parts, ...(content ? { content } : {}) }),
    allowed_mentions: {
      parse: [],
      users: validUser ? [validUser] : [],
      replied_user: false,
    },
  };
  if (!content) delete payload.content;
  const flags = (parts.flags ?? 0) | (ephemeral ? MessageFlags.Ephemeral : 0);
  if (flags) payload.flags = flags;
  else delete payload.flags;
  return payload;
}

export function isEphemeral(payload: ReplyPayload): boolean {
  return (Number(payload.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

/** A short private notice: errors, refusals, confirmations. */
export function notice(text: string): ReplyPayload {
  return reply({ content: text }, { ephemeral: true });
}
