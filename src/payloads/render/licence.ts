import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";
import { clauseFact } from "../../answers/clause.ts";
import type { LicenceAnswer, LicenceHistoryAnswer } from "../../answers/types.ts";
import { VERDICT_WORD, verdictSentence } from "../../answers/verdicts.ts";
import type { Licence } from "../../answers/views.ts";
import { CLAUSE_QUESTION_KEYS, CLAUSE_QUESTIONS, type ClauseQuestion } from "../../content/schemas.ts";
import { buttonRow, entryButton, linkButton } from "../components.ts";
import {
  bullets,
  CLAUSE_LABEL,
  countWords,
  creditFooter,
  link,
  provenanceFields,
  sourceLine,
  TIER_COLOUR,
  TIER_LABEL,
  verdictMark,
  yesNo,
} from "../format.ts";
import { type MessageParts, truncate, truncateAtSentence } from "../limits.ts";
import { conditionWords } from "./clause-words.ts";

export function licenceName(licence: Licence): string {
  return licence.short_name ?? licence.name;
}

/** The clauses a compact card shows, in the order people ask about them. */
const KEY_CLAUSES: readonly [ClauseQuestion, string][] = [
  ["commercial-use", "Commercial use"],
  ["user-cap", "Any scale (no user cap)"],
  ["modify", "Modify and fine-tune"],
  ["redistribute", "Redistribute"],
  ["train-other-models", "Train other models on it"],
  ["naming-attribution", "Naming or credit duty"],
];

/** How much of a condition a key-clause line quotes, where the card has room for it. */
const CONDITION_SHOWN = 70;

/**
 * One short line per key clause: the verdict in words, with its figure; with `conditions`, a
 * "with conditions" line also says what the condition is ("register with Zhipu first").
 */
export function licenceSummaryLines(licence: Licence, conditions = false): string[] {
  return KEY_CLAUSES.map(([clause, label]) => {
    const fact = clauseFact(licence, clause);
    const figure = fact.figure ? ` (${fact.figure})` : "";
    const condition =
      conditions && !figure && fact.verdict === "conditional"
        ? `: ${truncate(conditionWords(fact.text), CONDITION_SHOWN)}`
        : "";
    return `${verdictMark(fact.clause, fact.verdict)} **${label}:** ${VERDICT_WORD[fact.verdict].toLowerCase()}${figure}${condition}`;
  });
}

const SUMMARY_LENGTH = 320;

/** The first screen of a licence: what it is, the key verdicts, the source; details one button away. */
export function renderLicence(answer: LicenceAnswer, view?: string): MessageParts {
  if (view === "clauses") return renderLicenceClauses(answer);
  if (view === "full") return renderLicenceFull(answer);
  const { licence, via, viaFamily, previous, families } = answer;
  const intro = via
    ? `**${via.displayName}** is released under this licence.\n`
    : viaFamily
      ? `**${viaFamily.name}** is released under ${licenceName(licence)}${viaFamily.dataLicence ? `; its training data under ${viaFamily.dataLicence}` : ""}.\n`
      : "";
  const description = [
    `${intro}${truncateAtSentence(licence.summary, SUMMARY_LENGTH)}`,
    `${TIER_LABEL[licence.tier]} · OSI-approved: ${yesNo(licence.osi_approved)}`,
    ...licenceSummaryLines(licence),
    licence.uncertain.length ? `⚠️ ${countWords(licence.uncertain.length, "point")} not confirmed: see Details.` : null,
    `**Source:** ${sourceLine(licence.source, licence.checked)}`,
  ];
  const embed: APIEmbed = {
    title: licence.name,
    url: answer.url,
    description: description.filter(Boolean).join("\n"),
    color: TIER_COLOUR[licence.tier],
    footer: creditFooter(answer.credit, "Plain-language summary, not legal advice"),
  };
  const family = families[0];
  const buttons = [
    entryButton("license", licence.id, "All clause answers", "clauses"),
    entryButton("license", licence.id, "Details", "full"),
    ...(family ? [entryButton("family", family.id, `Family: ${family.name}`)] : []),
    ...(previous ? [entryButton("license", previous.id, `Previous: ${licenceName(previous)}`)] : []),
    linkButton("Licence text", licence.source.url),
  ];
  return { embeds: [embed], components: [buttonRow(buttons.slice(0, 5))] };
}

/** Every fixed clause question with its verdict: the detail behind a compact card. */
function renderLicenceClauses(answer: LicenceAnswer): MessageParts {
  const { licence } = answer;
  const fields: APIEmbedField[] = CLAUSE_QUESTION_KEYS.map((clause) => {
    const fact = clauseFact(licence, clause);
    const own = fact.source.url !== licence.source.url ? ` (${link("source", fact.source.url)})` : "";
    return {
      name: `${verdictMark(fact.clause, fact.verdict)} ${CLAUSE_QUESTIONS[clause]}`,
      value: `${verdictSentence(fact.verdict, fact.text)}${own}`,
    };
  });
  const embed: APIEmbed = {
    title: `${licenceName(licence)}: clause by clause`,
    url: answer.url,
    description: `Source: ${sourceLine(licence.source, licence.checked)}`,
    color: TIER_COLOUR[licence.tier],
    fields,
    footer: creditFooter(answer.credit, "Plain-language summary, not legal advice"),
  };
  return { embeds: [embed] };
}

export function clauseLines(licence: Licence): string[] {
  return licence.clauses.map(
    (clause) => `**${CLAUSE_LABEL[clause.kind]}**${clause.figure ? ` (${clause.figure})` : ""}: ${clause.text}`,
  );
}

export function licenceFields(licence: Licence): APIEmbedField[] {
  const fields: APIEmbedField[] = [
    { name: "Tier", value: TIER_LABEL[licence.tier], inline: true },
    { name: "OSI-approved", value: yesNo(licence.osi_approved), inline: true },
  ];
  if (licence.spdx) fields.push({ name: "SPDX", value: `\`${licence.spdx}\``, inline: true });
  if (licence.you_may.length) fields.push({ name: "✅ You may", value: bullets(licence.you_may) });
  if (licence.you_must.length) fields.push({ name: "📋 You must", value: bullets(licence.you_must) });
  if (licence.you_may_not.length)
    fields.push({
      name: "⛔ You may not",
      value: bullets(licence.you_may_not),
    });
  if (licence.clauses.length)
    fields.push({
      name: "Model-licence clauses",
      value: clauseLines(licence).join("\n"),
    });
  return fields;
}

function renderLicenceFull(answer: LicenceAnswer): MessageParts {
  const { licence, via, previous, families, models } = answer;
  const intro = via ? `**${via.displayName}** is released under this licence.\n\n` : "";
  const fields = licenceFields(licence);
  if (previous && licence.changes)
    fields.push({
      name: `What changed from ${previous.short_name ?? previous.name}`,
      value: licence.changes,
    });
  if (families.length)
    fields.push({
      name: "Families under it",
      value: families.map((family) => family.name).join(", "),
      inline: true,
    });
  if (models.length) {
    const names = models.slice(0, 8).map((model) => model.displayName);
    fields.push({
      name: "Models under it",
      value: names.join(", ") + (models.length > 8 ? ` and ${models.length - 8} more` : ""),
      inline: true,
    });
  }
  fields.push(...provenanceFields(licence.uncertain, licence.source, licence.checked));

  const embed: APIEmbed = {
    title: licence.name,
    url: answer.url,
    description: `${intro}${licence.summary}`,
    color: TIER_COLOUR[licence.tier],
    fields,
    footer: creditFooter(answer.credit, "Plain-language summary, not legal advice"),
  };
  const buttons = [
    ...families.slice(0, 3).map((family) => entryButton("family", family.id, `Family: ${family.name}`)),
    ...(previous ? [entryButton("license", previous.id, `Previous: ${previous.short_name ?? previous.name}`)] : []),
    linkButton("Licence text", licence.source.url),
  ];
  return { embeds: [embed], components: [buttonRow(buttons)] };
}

/** A family's licences by version, one line each; what each version adds is one button away. */
export function renderLicenceHistory(answer: LicenceHistoryAnswer, view?: string): MessageParts {
  if (view === "full") return renderLicenceHistoryFull(answer);
  const { family, entries } = answer;
  const distinct = [...new Map(entries.map((entry) => [entry.licence.id, entry.licence])).values()];
  const lines = entries
    .slice(0, 10)
    .map(
      (entry) =>
        `• **${entry.version}**${entry.released ? ` (${entry.released})` : ""}: ${licenceName(entry.licence)}, ${TIER_LABEL[entry.licence.tier].replace(/^\S+ /, "").toLowerCase()}`,
    );
  const embed: APIEmbed = {
    title: `${family.name}: licences by version`,
    url: answer.url,
    description: [
      `${family.name} has shipped under ${distinct.length} licences, so the terms depend on the version. Newest first:`,
      ...lines,
      `**Source:** ${sourceLine(family.source, family.checked)}`,
    ].join("\n"),
    color: answer.strictest ? TIER_COLOUR[answer.strictest] : undefined,
    footer: creditFooter(answer.credit, "Plain-language summary, not legal advice"),
  };
  const buttons = [
    entryButton("family", family.id, "What changed, by version", "versions"),
    ...distinct.slice(0, 4).map((licence) => entryButton("license", licence.id, licenceName(licence))),
  ];
  return { embeds: [embed], components: [buttonRow(buttons)] };
}

export function renderLicenceHistoryFull(answer: LicenceHistoryAnswer): MessageParts {
  const { family, entries } = answer;
  const fields: APIEmbedField[] = entries.slice(0, 10).map((entry) => {
    const { licence } = entry;
    const clauses = licence.clauses
      .filter(
        (clause) => clause.figure || clause.kind === "region-exclusion" || clause.kind === "no-training-other-models",
      )
      .map((clause) => `${CLAUSE_LABEL[clause.kind]}${clause.figure ? ` (${clause.figure})` : ""}`);
    const lines = [
      `${TIER_LABEL[licence.tier]} · **${licence.short_name ?? licence.name}**`,
      entry.models ? `Models: ${entry.models}` : null,
      clauses.length ? `Clauses: ${clauses.join("; ")}` : null,
      entry.note,
      licence.changes && licence.previous ? `Changed: ${licence.changes}` : null,
    ];
    return {
      name: [entry.version, entry.released].filter(Boolean).join(" · "),
      value: lines.filter(Boolean).join("\n"),
    };
  });
  fields.push({
    name: "Source",
    value: sourceLine(family.source, family.checked),
  });
  const distinct = [...new Map(entries.map((entry) => [entry.licence.id, entry.licence])).values()];
  const embed: APIEmbed = {
    title: `${family.name}: licences by version`,
    url: answer.url,
    description: `${family.name} (${family.lab ?? "unknown lab"}) has shipped under ${distinct.length} licences; the terms depend on the version you use. Newest first.`,
    color: answer.strictest ? TIER_COLOUR[answer.strictest] : undefined,
    fields,
    footer: creditFooter(answer.credit, "Plain-language summary, not legal advice"),
  };
  const buttons = distinct
    .slice(0, 5)
    .map((licence) => entryButton("license", licence.id, licence.short_name ?? licence.name));
  return { embeds: [embed], components: buttonRows(buttons) };
}

function buttonRows(buttons: ReturnType<typeof entryButton>[]) {
  return buttons.length ? [buttonRow(buttons)] : [];
}
