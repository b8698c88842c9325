import type { APIEmbed } from "discord-api-types/v10";
import type { DigestSelection } from "../../answers/digest.ts";
import { creditFooter, NEUTRAL_COLOUR, opennessLine, TIER_COLOUR, TIER_LABEL } from "../format.ts";
import { type MessageParts, truncate } from "../limits.ts";

const NEWS_SUMMARY_LENGTH = 350;

/** The daily digest: term of the day, a family or licence spotlight, and the newest news issue. */
export function renderDigest(selection: DigestSelection): MessageParts {
  const { term, spotlight, news } = selection;
  const embeds: APIEmbed[] = [
    {
      title: `📖 Term of the day: ${term.term}${selection.termUpdated ? " (updated)" : ""}`,
      url: selection.termUrl,
      description: `${term.summary}\n\n${truncate(term.paragraphs[0] ?? "", 500)}`,
      color: NEUTRAL_COLOUR,
    },
    spotlight.kind === "family"
      ? {
          title: `🧬 Family spotlight: ${spotlight.family.name}${selection.spotlightUpdated ? " (updated)" : ""}`,
          url: selection.spotlightUrl,
          description: [
            spotlight.family.summary,
            spotlight.family.openness ? opennessLine(spotlight.family.openness) : null,
            `Try \`/family ${spotlight.family.id}\` or \`/license ${spotlight.family.id}\`.`,
          ]
            .filter(Boolean)
            .join("\n\n"),
          color: spotlight.family.tier ? TIER_COLOUR[spotlight.family.tier] : NEUTRAL_COLOUR,
        }
      : {
          title: `📜 Licence spotlight: ${spotlight.licence.name}${selection.spotlightUpdated ? " (updated)" : ""}`,
          url: selection.spotlightUrl,
          description: `${TIER_LABEL[spotlight.licence.tier]}\n\n${spotlight.licence.summary}\n\nTry \`/license ${spotlight.licence.id}\`.`,
          color: TIER_COLOUR[spotlight.licence.tier],
        },
  ];
  if (news) {
    embeds.push({
      title: `📰 ${news.title}`,
      url: news.link,
      description: truncate(news.summary, NEWS_SUMMARY_LENGTH),
      color: NEUTRAL_COLOUR,
      footer: { text: news.date },
    });
  }
  embeds[embeds.length - 1]!.footer = creditFooter(selection.credit, news ? news.date : undefined);
  return { content: digestMarker(selection.localDate), embeds };
}

/** How a digest message starts: what the bot looks for in a channel before posting a day again. */
export function digestMarker(date: string): string {
  return `**Daily digest** · ${date}`;
}
