import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";
import type { LicenceAnswer, LicenceHistoryAnswer } from "../../answers/types.ts";
import { strictestTier } from "../../knowledge/tiers.ts";
import type { KnowledgeBase, Licence } from "../../knowledge/types.ts";
import { entryUrl } from "../../knowledge/urls.ts";
import { buttonRow, entryButton, linkButton } from "../components.ts";
import {
  bullets,
  CLAUSE_LABEL,
  creditFooter,
  provenanceFields,
  sourceLine,
  TIER_COLOUR,
  TIER_LABEL,
  yesNo,
} from "../format.ts";
import type { MessageParts } from "../limits.ts";

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

export function renderLicence(answer: LicenceAnswer, kb: KnowledgeBase): MessageParts {
  const { licence, via, previous, families, models } = answer;
  const intro = via
    ? `**${via.displayName}** is released under this licence (the site lists it as "${via.licenseText}").\n\n`
    : "";
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
    url: entryUrl(kb, { kind: "license", id: licence.id }),
    description: `${intro}${licence.summary}`,
    color: TIER_COLOUR[licence.tier],
    fields,
    footer: creditFooter(kb, "Plain-language summary, not legal advice"),
  };
  const buttons = [
    ...families.slice(0, 3).map((family) => entryButton("family", family.id, `Family: ${family.name}`)),
    ...(previous ? [entryButton("license", previous.id, `Previous: ${previous.short_name ?? previous.name}`)] : []),
    linkButton("Licence text", licence.source.url),
  ];
  return { embeds: [embed], components: [buttonRow(buttons)] };
}

export function renderLicenceHistory(answer: LicenceHistoryAnswer, kb: KnowledgeBase): MessageParts {
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
  const worst = strictestTier(distinct.map((licence) => licence.tier));
  const embed: APIEmbed = {
    title: `${family.name}: licences by version`,
    url: entryUrl(kb, { kind: "family", id: family.id }),
    description: `${family.name} (${family.lab ?? "unknown lab"}) has shipped under ${distinct.length} licences; the terms depend on the version you use. Newest first.`,
    color: worst ? TIER_COLOUR[worst] : undefined,
    fields,
    footer: creditFooter(kb, "Plain-language summary, not legal advice"),
  };
  const buttons = distinct
    .slice(0, 5)
    .map((licence) => entryButton("license", licence.id, licence.short_name ?? licence.name));
  return { embeds: [embed], components: buttonRows(buttons) };
}

function buttonRows(buttons: ReturnType<typeof entryButton>[]) {
  return buttons.length ? [buttonRow(buttons)] : [];
}
