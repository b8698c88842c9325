import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";
import type { FamilyAnswer, ModelAnswer } from "../../answers/types.ts";
import type { Family, KnowledgeBase, Licence, Model } from "../../knowledge/types.ts";
import { entryUrl } from "../../knowledge/urls.ts";
import { buttonRow, entryButton } from "../components.ts";
import {
  bullets,
  creditFooter,
  NEUTRAL_COLOUR,
  opennessLine,
  paramsText,
  provenanceFields,
  sourcesList,
  TIER_COLOUR,
  TIER_LABEL,
  yesNo,
} from "../format.ts";
import type { MessageParts } from "../limits.ts";

export function modelLine(model: Model, licences: ReadonlyMap<string, Licence>): string {
  const size = paramsText(model);
  const arch = model.architecture && model.architecture !== "dense" ? model.architecture.toUpperCase() : null;
  const licence = model.licenceIds[0] ? licences.get(model.licenceIds[0]) : undefined;
  const parts = [
    size ? `${size}${arch ? ` ${arch}` : ""}` : arch,
    model.releasedDate,
    licence ? (licence.short_name ?? licence.name) : model.licenseText,
  ];
  return `**${model.displayName}**: ${parts.filter(Boolean).join(" · ")}`;
}

export function familyLicenceLines(family: Family, licences: ReadonlyMap<string, Licence>): string[] {
  return family.licenses.map((entry) => {
    const licence = licences.get(entry.licenseId);
    return `${entry.version}: ${licence ? `${licence.short_name ?? licence.name} (${TIER_LABEL[licence.tier].replace(/^\S+ /, "")})` : entry.licenseId}`;
  });
}

export function renderFamily(answer: FamilyAnswer, kb: KnowledgeBase): MessageParts {
  const { family, licences, models } = answer;
  const fields: APIEmbedField[] = [
    { name: "Lab", value: family.lab ?? "unknown", inline: true },
    { name: "Country", value: family.country ?? "unknown", inline: true },
  ];
  if (family.tier) fields.push({ name: "Tier", value: TIER_LABEL[family.tier], inline: true });
  fields.push({
    name: "Licences",
    value: bullets(familyLicenceLines(family, kb.licences)) || "none recorded",
  });
  if (family.openness) {
    fields.push({
      name: "What is released",
      value: [opennessLine(family.openness), family.opennessNote].filter(Boolean).join("\n"),
    });
  }
  if (models.length) {
    const lines = models.slice(0, 8).map((model) => modelLine(model, kb.licences));
    if (models.length > 8) lines.push(`…and ${models.length - 8} more`);
    fields.push({ name: "Notable models", value: lines.join("\n") });
  }
  fields.push(...provenanceFields(family.uncertain, family.source, family.checked));
  const embed: APIEmbed = {
    title: family.name,
    url: entryUrl(kb, { kind: "family", id: family.id }),
    description: family.summary,
    color: family.tier ? TIER_COLOUR[family.tier] : NEUTRAL_COLOUR,
    fields,
    footer: creditFooter(kb),
  };
  const buttons = licences
    .slice(0, 5)
    .map((licence) => entryButton("license", licence.id, `Licence: ${licence.short_name ?? licence.name}`));
  return {
    embeds: [embed],
    components: buttons.length ? [buttonRow(buttons)] : [],
  };
}

export function renderModel(answer: ModelAnswer, kb: KnowledgeBase): MessageParts {
  const { model, family, licences } = answer;
  const fields: APIEmbedField[] = [
    {
      name: "Developer",
      value: [model.developer, model.country].filter(Boolean).join(", ") || "unknown",
      inline: true,
    },
    { name: "Released", value: model.releasedDate ?? "unknown", inline: true },
    {
      name: "Parameters",
      value: paramsText(model) ?? "undisclosed",
      inline: true,
    },
    {
      name: "Architecture",
      value: model.architecture ?? "unknown",
      inline: true,
    },
    { name: "Openness", value: model.openness, inline: true },
    {
      name: "OSI-approved licence",
      value: yesNo(model.osiApproved),
      inline: true,
    },
    {
      name: "Licence",
      value: licences.length
        ? licences.map((licence) => `${licence.name}: ${TIER_LABEL[licence.tier]}`).join("\n")
        : `${model.licenseText || "not recorded"} (not in Stackbot's licence registry)`,
    },
    {
      name: "Released with it",
      value: `Data: ${yesNo(model.dataReleased)} · Training code: ${yesNo(model.trainingCodeReleased)} · Training logs: ${yesNo(model.trainingLogsReleased)}`,
    },
  ];
  if (model.sources.length) fields.push({ name: "Sources", value: sourcesList(model.sources) });
  const embed: APIEmbed = {
    title: model.displayName,
    url: entryUrl(kb, { kind: "model", id: model.slug }),
    description: family ? `A model of the ${family.name} family.` : "",
    color: licences[0] ? TIER_COLOUR[licences[0].tier] : NEUTRAL_COLOUR,
    fields,
    footer: creditFooter(kb),
  };
  const buttons = [
    ...(family ? [entryButton("family", family.id, `Family: ${family.name}`)] : []),
    ...licences
      .slice(0, 3)
      .map((licence) => entryButton("license", licence.id, `Licence: ${licence.short_name ?? licence.name}`)),
  ];
  return {
    embeds: [embed],
    components: buttons.length ? [buttonRow(buttons)] : [],
  };
}
