import { MessageFlags } from "discord-api-types/v10";
import type { KnowledgeBase } from "../../knowledge/types.ts";
import { entryUrl } from "../../knowledge/urls.ts";
import type { Hit } from "../../search/index.ts";
import { link } from "../format.ts";
import type { MessageParts } from "../limits.ts";

/** A short reply on a new forum post: at most three links, no link previews. */
export function renderPostSuggestions(hits: readonly Hit[], kb: KnowledgeBase): MessageParts & { flags: number } {
  const lines = hits.map((hit) => `• ${link(hit.name, entryUrl(kb, hit))}`);
  return { content: `These may help:\n${lines.join("\n")}`, flags: MessageFlags.SuppressEmbeds };
}
