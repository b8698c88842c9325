import type { KnowledgeBase } from "../knowledge/types.ts";
import type { Hit } from "../search/index.ts";
import { entryLinks } from "./site.ts";
import type { DeclineAnswer } from "./types.ts";

/** A request the bot must not fulfil, declined with what it can do instead. */
export function declineAnswer(
  kb: KnowledgeBase,
  question: string,
  reason: string,
  offers: readonly Hit[],
): DeclineAnswer {
  return { type: "decline", question, reason, offers: entryLinks(kb, offers.slice(0, 3)) };
}
