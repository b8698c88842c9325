import type { APIEmbed } from "discord-api-types/v10";
import type { OsaidAnswer } from "../../answers/types.ts";
import { buttonRow, entryButton, linkButton } from "../components.ts";
import { escapeUserText } from "../escape.ts";
import { creditFooter, NEUTRAL_COLOUR, sourceLine } from "../format.ts";
import { type MessageParts, truncate } from "../limits.ts";
import { licenceName } from "./licence.ts";

const OSAID_URL = "https://opensource.org/ai/open-source-ai-definition";

const RELEASED: Record<string, string> = { yes: "released", partial: "partly released", no: "not released" };

const VALIDATED: Record<NonNullable<OsaidAnswer["validated"]>["verdict"], string> = {
  passed: "✅ passed",
  "licence-change": "⚠️ would pass with a licence change",
  failed: "⛔ did not pass",
};

export function renderOsaid(answer: OsaidAnswer): MessageParts {
  const { family, licence, checks, meets } = answer;
  const licenceLine = licence
    ? `${licence.osi_approved ? "✅" : "⛔"} Weights under ${licenceName(licence)}: ${licence.osi_approved ? "an OSI-approved licence" : "not an OSI-approved licence"}`
    : "❔ Weights licence: not known";
  const opening = meets
    ? `✅ **Yes**: ${family.name} meets the OSI's Open Source AI Definition (OSAID 1.0): weights and code under OSI-approved terms, and the training data released.`
    : `⛔ **No**: ${family.name} does not meet the OSI's Open Source AI Definition (OSAID 1.0). ${
        licence?.osi_approved
          ? "Its licence is OSI-approved, but the definition also asks for the training code and enough information about the training data to rebuild a substantially equivalent system."
          : "The definition needs weights and code under OSI-approved terms, plus information about the training data; its licence is not OSI-approved."
      }`;
  const embed: APIEmbed = {
    title: truncate(`${family.name} and the Open Source AI Definition`, 256),
    url: answer.url,
    description: [
      opening,
      licenceLine,
      `${checks.code === "yes" ? "✅" : "⛔"} Training code: ${RELEASED[checks.code ?? "no"] ?? "not known"}`,
      `${checks.data === "yes" ? "✅" : "⛔"} Training data: ${RELEASED[checks.data ?? "no"] ?? "not known"}`,
      ...[answer.validated, ...(answer.alsoValidated ?? [])].flatMap((result) =>
        result ? [`**The OSI's ${result.year} validation:** ${result.name} ${VALIDATED[result.verdict]}.`] : [],
      ),
      "An OSI-approved licence alone is not the OSAID: the definition covers the whole system.",
      `**Sources:** [OSAID 1.0 (OSI)](${OSAID_URL}) · ${sourceLine(family.source, family.checked)}`,
    ]
      .filter(Boolean)
      .join("\n"),
    color: NEUTRAL_COLOUR,
    footer: creditFooter(answer.credit, "Plain-language summary, not legal advice"),
  };
  return {
    content: `**Asked:** ${truncate(escapeUserText(answer.question), 200)}`,
    embeds: [embed],
    components: [
      buttonRow([
        entryButton("family", family.id, `Family: ${family.name}`),
        ...(licence ? [entryButton("license", licence.id, licenceName(licence))] : []),
        linkButton("The definition", OSAID_URL),
      ]),
    ],
  };
}
