import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";
import type { SectionAnswer, TermAnswer } from "../../answers/types.ts";
import { buttonRow, entryButton } from "../components.ts";
import { fitsCustomId } from "../custom-id.ts";
import { creditFooter, link, NEUTRAL_COLOUR, sourcesList } from "../format.ts";
import { type MessageParts, truncateAtSentence } from "../limits.ts";

const EXCERPT_LENGTH = 320;
const SECTION_LENGTH = 700;
const RELATED_SHOWN = 6;
const LESSONS_SHOWN = 2;

export function renderTerm(answer: TermAnswer): MessageParts {
  const { term, layerTitle, secondaryLayerTitles, related, lessons, point } = answer;
  // The sentences that answer the question, quoted, when they sit past the entry's opening.
  const excerpt = point
    ? truncateAtSentence(point, EXCERPT_LENGTH)
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n")
    : truncateAtSentence(term.paragraphs[0] ?? "", EXCERPT_LENGTH);
  const fields: APIEmbedField[] = [
    {
      name: "Layer",
      value: [layerTitle, ...secondaryLayerTitles].join(" · "),
      inline: true,
    },
  ];
  if (term.aliases.length)
    fields.push({
      name: "Also called",
      value: term.aliases.join(", "),
      inline: true,
    });
  if (related.length)
    fields.push({
      name: "Related",
      value: related
        .slice(0, RELATED_SHOWN)
        .map((entry) => entry.term)
        .join(", "),
    });
  if (lessons.length) {
    fields.push({
      name: "In the lessons",
      value: lessons
        .slice(0, LESSONS_SHOWN)
        .map((lesson) => link(lesson.title, lesson.url))
        .join(" · "),
    });
  }
  if (term.sources.length) fields.push({ name: "Source", value: sourcesList(term.sources, 1) });
  const embed: APIEmbed = {
    title: term.term,
    url: answer.url,
    description: `**${term.summary}**\n\n${excerpt}`,
    color: NEUTRAL_COLOUR,
    fields,
    footer: creditFooter(answer.credit, term.updated ? `Updated ${term.updated}` : undefined),
  };
  const buttons = related.slice(0, 5).map((entry) => entryButton("term", entry.slug, entry.term));
  return {
    embeds: [embed],
    components: buttons.length ? [buttonRow(buttons)] : [],
  };
}

/**
 * A passage: the sentences that answer the question quoted first, credited to the lesson or module
 * with its link, and the passages to read next as buttons; opened by name, its opening.
 */
export function renderSection(answer: SectionAnswer): MessageParts {
  const { section, point, url } = answer;
  const credit = `— from the ${section.source === "lesson" ? "lesson" : "module"} ${link(section.layerTitle, url)}, ${section.heading}`;
  const embed: APIEmbed = {
    title: `${section.layerTitle}: ${section.heading}`,
    url,
    description: point
      ? `${truncateAtSentence(point, SECTION_LENGTH)
          .split("\n")
          .map((line) => `> ${line}`)
          .join("\n")}\n${credit}`
      : truncateAtSentence(section.blocks.join("\n\n"), SECTION_LENGTH),
    color: NEUTRAL_COLOUR,
    footer: creditFooter(answer.credit),
  };
  const buttons = (answer.next ?? [])
    .filter((next) => fitsCustomId({ command: "ask", ephemeral: true, entryId: next.id }))
    .map((next) => entryButton("ask", next.id, next.label));
  return { embeds: [embed], components: buttons.length ? [buttonRow(buttons)] : [] };
}
