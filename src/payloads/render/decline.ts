import { MessageFlags } from "discord-api-types/v10";
import type { DeclineAnswer } from "../../answers/types.ts";
import { link } from "../format.ts";
import type { MessageParts } from "../limits.ts";

/** What the bot will not do, and why, in a line each. */
const WHY: Record<string, string> = {
  "legal-advice":
    "I can't give legal advice on your situation: that needs a lawyer who reads your facts and the licence text",
  guarantee: "I can't guarantee any outcome, legal or otherwise: my answers are plain-language summaries, not advice",
  drafting:
    "I don't draft licences, policies, contracts or model cards: texts with legal weight need someone accountable for them",
  prediction: "I don't predict what a lab, a licence or a regulator will do: I only report what has been published",
  opinion:
    "I don't rank models, labs or investments: which is best depends on your needs, and I stick to sourced facts",
  circumvent: "I won't help get round a licence's terms, notices or access rules",
  "private-figures": "I don't know other companies' private figures",
};

const INSTEAD =
  "What I can do: say what a licence's clauses mean (commercial use, user caps, naming, regions), which licence a model is under, and link the licence text.";

export function renderDecline(answer: DeclineAnswer): MessageParts {
  const offers = answer.offers.length
    ? `\nRelated: ${answer.offers.map((offer) => link(offer.name, offer.url)).join(" · ")}`
    : "";
  // A decline is private, so the question is not echoed: words it asks the bot to say stay unsaid.
  return {
    content: `${WHY[answer.reason] ?? WHY["legal-advice"]}. ${INSTEAD}${offers}`,
    flags: MessageFlags.SuppressEmbeds,
  };
}
