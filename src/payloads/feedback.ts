import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIComponentInMessageActionRow,
  APIModalInteractionResponseCallbackData,
} from "discord-api-types/v10";
import { ButtonStyle, ComponentType, TextInputStyle } from "discord-api-types/v10";
import { LIMITS } from "./limits.ts";

/**
 * "Wrong or unhelpful?": a button on every answer, a one-line modal, and the ids that carry what
 * the vote is about through both. Format: `fb|<answer kind>|<entry>` on the button and
 * `fbm|<message id>|<answer kind>|<entry>` on the modal (ids at most 100 characters).
 */
export interface FeedbackTarget {
  answerKind: string;
  entry: string;
}

const BUTTON = "fb";
const MODAL = "fbm";
export const FEEDBACK_REASON_FIELD = "reason";

function clean(part: string): string {
  return part.replace(/\|/g, "/");
}

export function feedbackButton(target: FeedbackTarget): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: "Wrong or unhelpful?",
    custom_id: `${BUTTON}|${clean(target.answerKind)}|${clean(target.entry)}`.slice(0, LIMITS.customId),
  };
}

export function decodeFeedbackButton(customId: string): FeedbackTarget | null {
  const [tag, answerKind, ...entry] = customId.split("|");
  return tag === BUTTON && answerKind ? { answerKind, entry: entry.join("|") } : null;
}

export function decodeFeedbackModal(customId: string): (FeedbackTarget & { messageId: string }) | null {
  const [tag, messageId, answerKind, ...entry] = customId.split("|");
  return tag === MODAL && messageId && answerKind ? { messageId, answerKind, entry: entry.join("|") } : null;
}

/** The modal the button opens: one optional line saying what was wrong. */
export function feedbackModal(messageId: string, target: FeedbackTarget): APIModalInteractionResponseCallbackData {
  return {
    custom_id: `${MODAL}|${messageId}|${clean(target.answerKind)}|${clean(target.entry)}`.slice(0, LIMITS.customId),
    title: "What was wrong with this answer?",
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: FEEDBACK_REASON_FIELD,
            label: "In a line (optional)",
            style: TextInputStyle.Short,
            required: false,
            max_length: 200,
            placeholder: "e.g. the cap is for Llama 3.1, not 3.3",
          },
        ],
      },
    ],
  };
}

/** Adds the button to a reply's components: in the last row when it has room, else in a row of its own. */
export function withFeedbackButton(
  rows: readonly APIActionRowComponent<APIComponentInMessageActionRow>[],
  target: FeedbackTarget,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const button = feedbackButton(target);
  const last = rows.at(-1);
  const lastIsButtons = last?.components.every((component) => component.type === ComponentType.Button);
  if (last && lastIsButtons && last.components.length < LIMITS.buttonsPerRow)
    return [...rows.slice(0, -1), { ...last, components: [...last.components, button] }];
  if (rows.length >= LIMITS.actionRows) return [...rows];
  return [...rows, { type: ComponentType.ActionRow, components: [button] }];
}
