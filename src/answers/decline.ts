import type { Hit } from "../search/index.ts";
import type { DeclineAnswer } from "./types.ts";

/** A request the bot must not fulfil, declined with what it can do instead. */
export function declineAnswer(question: string, reason: string, offers: readonly Hit[]): DeclineAnswer {
  return { type: "decline", question, reason, offers: offers.slice(0, 3) };
}
