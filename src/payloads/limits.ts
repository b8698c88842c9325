import type {
  APIActionRowComponent,
  APIApplicationCommandOptionChoice,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIEmbedField,
} from "discord-api-types/v10";
import { ComponentType } from "discord-api-types/v10";

/**
 * Discord's size limits, and the only code that enforces them: every payload passes through
 * `fitMessage` and every autocomplete list through `fitChoices`, so no call site counts characters.
 */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  threadName: 100,
} as const;

const ELLIPSIS = "…";

/** Cuts text to `max` characters (code points kept whole), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  let cut = chars.slice(0, Math.max(0, max - 1)).join("");
  while (cut.length > max - 1) cut = Array.from(cut).slice(0, -1).join("");
  // Prefer to end at a word boundary when one is near.
  const space = cut.lastIndexOf(" ");
  if (space > max * 0.8) cut = cut.slice(0, space);
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

/**
 * Cuts text to `max` characters at the last line, bullet or sentence that fits, so no one reads
 * half a sentence; a single sentence longer than `max` is cut at a word.
 */
export function truncateAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const boundary = Math.max(
    room.lastIndexOf("\n"),
    ...[". ", "! ", "? ", "; "].map((end) => room.lastIndexOf(end) + 1),
  );
  if (boundary > max * 0.3) return `${room.slice(0, boundary).trimEnd()} …`;
  return truncate(text, max);
}

function fitField(field: APIEmbedField): APIEmbedField {
  return {
    ...field,
    name: truncate(field.name || "\u200b", LIMITS.fieldName),
    value: truncateAtSentence(field.value || "\u200b", LIMITS.fieldValue),
  };
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Fits one embed within Discord's per-field limits and the 6000-character total. */
export function fitEmbed(embed: APIEmbed, budget: number = LIMITS.embedTotal): APIEmbed {
  const fitted: APIEmbed = {
    ...embed,
    ...(embed.title !== undefined ? { title: truncate(embed.title, LIMITS.embedTitle) } : {}),
    ...(embed.description !== undefined
      ? { description: truncateAtSentence(embed.description, LIMITS.embedDescription) }
      : {}),
    ...(embed.footer
      ? {
          footer: {
            ...embed.footer,
            text: truncate(embed.footer.text, LIMITS.footerText),
          },
        }
      : {}),
    ...(embed.author
      ? {
          author: {
            ...embed.author,
            name: truncate(embed.author.name, LIMITS.authorName),
          },
        }
      : {}),
    ...(embed.fields ? { fields: embed.fields.slice(0, LIMITS.embedFields).map(fitField) } : {}),
  };
  // Over budget: drop trailing fields first, then shorten the description.
  while (embedLength(fitted) > budget && fitted.fields && fitted.fields.length > 0) {
    fitted.fields = fitted.fields.slice(0, -1);
  }
  const excess = embedLength(fitted) - budget;
  if (excess > 0 && fitted.description) {
    fitted.description = truncate(fitted.description, Math.max(1, fitted.description.length - excess));
  }
  return fitted;
}

export interface MessageParts {
  content?: string;
  /** Message flags such as SuppressEmbeds; the reply helper adds Ephemeral itself. */
  flags?: number;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Fits a whole message: content, up to 10 embeds sharing the 6000-character total, and components. */
export function fitMessage<T extends MessageParts>(message: T): T {
  let remaining: number = LIMITS.embedTotal;
  const embeds = message.embeds?.slice(0, LIMITS.embedsPerMessage).map((embed) => {
    const fitted = fitEmbed(embed, remaining);
    remaining = Math.max(0, remaining - embedLength(fitted));
    return fitted;
  });
  return {
    ...message,
    ...(message.content !== undefined ? { content: truncate(message.content, LIMITS.content) } : {}),
    ...(embeds ? { embeds: embeds.filter((embed) => embedLength(embed) > 0) } : {}),
    ...(message.components
      ? {
          components: message.components.slice(0, LIMITS.actionRows).map(fitRow),
        }
      : {}),
  };
}

function fitRow(
  row: APIActionRowComponent<APIComponentInMessageActionRow>,
): APIActionRowComponent<APIComponentInMessageActionRow> {
  return {
    ...row,
    components: row.components.slice(0, LIMITS.buttonsPerRow).map((component) => {
      if (component.type === ComponentType.Button) {
        return {
          ...component,
          ...("label" in component && component.label ? { label: truncate(component.label, LIMITS.buttonLabel) } : {}),
        };
      }
      if (component.type === ComponentType.StringSelect) {
        return {
          ...component,
          ...(component.placeholder
            ? {
                placeholder: truncate(component.placeholder, LIMITS.selectPlaceholder),
              }
            : {}),
          options: component.options.slice(0, LIMITS.selectOptions).map((option) => ({
            ...option,
            label: truncate(option.label, LIMITS.selectOptionText),
            value: option.value.slice(0, LIMITS.selectOptionText),
            ...(option.description
              ? {
                  description: truncate(option.description, LIMITS.selectOptionText),
                }
              : {}),
          })),
        };
      }
      return component;
    }),
  };
}

/** At most 25 choices, names 1-100 characters, values at most 100; duplicates (by value) dropped. */
export function fitChoices(
  choices: readonly APIApplicationCommandOptionChoice<string>[],
): APIApplicationCommandOptionChoice<string>[] {
  const seen = new Set<string>();
  const fitted: APIApplicationCommandOptionChoice<string>[] = [];
  for (const choice of choices) {
    const value = choice.value.slice(0, LIMITS.choiceValue);
    if (!value || seen.has(value)) continue;
    seen.add(value);
    fitted.push({
      name: truncate(choice.name.trim() || value, LIMITS.choiceName),
      value,
    });
    if (fitted.length === LIMITS.choices) break;
  }
  return fitted;
}

/** A thread name from free text: one line, 1-100 characters. */
export function fitThreadName(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return truncate(line || "Discussion", LIMITS.threadName);
}

/** What a phone shows first: the message content and the first embed, in characters. */
export function firstScreenLength(message: MessageParts): number {
  const [first] = message.embeds ?? [];
  return (message.content?.length ?? 0) + (first ? embedLength(first) : 0);
}

/** About what a phone shows before scrolling: the message content and the first embed. */
export const FIRST_SCREEN = 1200;
/** A part of the first screen is never cut below this, so what is left still says something. */
const FIRST_SCREEN_PART_MIN = 160;

/**
 * Keeps a reply's first screen within `FIRST_SCREEN`: the longest part of the first embed (its text
 * or a field without links) is cut at a sentence, then the next, until it fits or nothing long is left.
 */
export function fitFirstScreen<T extends MessageParts>(message: T): T {
  const [first, ...rest] = message.embeds ?? [];
  if (!first) return message;
  const embed: APIEmbed = { ...first, fields: first.fields?.map((field) => ({ ...field })) };
  const length = () => firstScreenLength({ ...message, embeds: [embed] });
  const cuttable = (text: string | undefined) => (text?.length ?? 0) > FIRST_SCREEN_PART_MIN;
  for (let before = length(); before > FIRST_SCREEN; ) {
    // Links in a field would break mid-markup: only plain fields are cut.
    const fields = (embed.fields ?? []).filter((field) => cuttable(field.value) && !field.value.includes("]("));
    const longest = fields.sort((a, b) => b.value.length - a.value.length)[0];
    const excess = before - FIRST_SCREEN;
    const shorter = (text: string) => truncateAtSentence(text, Math.max(FIRST_SCREEN_PART_MIN, text.length - excess));
    if (longest && longest.value.length > (embed.description?.length ?? 0)) longest.value = shorter(longest.value);
    else if (cuttable(embed.description)) embed.description = shorter(embed.description!);
    const after = length();
    if (after >= before) break;
    before = after;
  }
  return { ...message, embeds: [embed, ...rest] };
}

/** The text a phone shows first: the message content, then the first embed's title, text and fields. */
export function firstScreenText(message: MessageParts): string {
  const [first] = message.embeds ?? [];
  const embed = first
    ? [
        first.title,
        first.description,
        ...(first.fields ?? []).flatMap((field) => [field.name, field.value]),
        first.footer?.text,
      ]
    : [];
  return [message.content, ...embed].filter(Boolean).join("\n");
}
