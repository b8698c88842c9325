import { MessageFlags } from "discord-api-types/v10";
import type { EntryLink } from "../../answers/views.ts";
import { link } from "../format.ts";
import type { MessageParts } from "../limits.ts";

/** A short reply on a new forum post: at most three links, no link previews. */
export function renderPostSuggestions(suggestions: readonly EntryLink[]): MessageParts & { flags: number } {
  const lines = suggestions.map((suggestion) => `• ${link(suggestion.name, suggestion.url)}`);
  return { content: `These may help:\n${lines.join("\n")}`, flags: MessageFlags.SuppressEmbeds };
}
