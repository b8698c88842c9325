import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";
import type { FamilyAnswer, ModelAnswer } from "../../answers/types.ts";
import type { FamilyTiers, FamilyVersion, Model, ModelWithLicence } from "../../answers/views.ts";
import { buttonRow, entryButton } from "../components.ts";
import {
  bullets,
  countWords,
  creditFooter,
  NEUTRAL_COLOUR,
  opennessLine,
  paramsText,
  provenanceFields,
  sourceLine,
  sourcesList,
  TIER_COLOUR,
  TIER_LABEL,
  yesNo,
} from "../format.ts";
import { type MessageParts, truncateAtSentence } from "../limits.ts";

const ARCHITECTURE_WORDS: Record<string, string> = {
  moe: "Mixture of experts",
  dense: "Dense",
  hybrid: "Hybrid",
  ssm: "State-space model",
};

export function architectureWords(architecture: string | null): string | null {
  if (!architecture) return null;
  return ARCHITECTURE_WORDS[architecture.toLowerCase()] ?? architecture.charAt(0).toUpperCase() + architecture.slice(1);
}

const OPENNESS_WORDS: Record<Model["openness"], string> = {
  open: "Open",
  "open-weights": "Open weights",
  "source-available": "Source-available",
  proprietary: "Proprietary (no weights)",
};

/** A family's tier in words: one tier, or "Mixed" with the tier of each run of versions. */
export function familyTierLine(tiers: FamilyTiers): string {
  if (!tiers.mixed) return tiers.tier ? TIER_LABEL[tiers.tier] : "Tier unknown (not in the registry)";
  const parts = tiers.runs.map(
    (run) => `${run.versions.join(", ")}: ${TIER_LABEL[run.tier].replace(/^\S+ /, "").toLowerCase()}`,
  );
  return `🔀 Mixed by version: ${parts.join(" · ")}`;
}

export function modelLine({ model, licence }: ModelWithLicence): string {
  const size = paramsText(model);
  const arch = model.architecture && model.architecture !== "dense" ? architectureWords(model.architecture) : null;
  const parts = [
    size ? `${size}${arch ? ` ${arch}` : ""}` : arch,
    model.releasedDate,
    licence ? (licence.short_name ?? licence.name) : model.licenseText,
  ];
  return `**${model.displayName}**: ${parts.filter(Boolean).join(" · ")}`;
}

export function familyLicenceLines(versions: readonly FamilyVersion[]): string[] {
  return versions.map(
    ({ version, licence, licenceId }) =>
      `${version}: ${licence ? `${licence.short_name ?? licence.name} (${TIER_LABEL[licence.tier].replace(/^\S+ /, "")})` : licenceId}`,
  );
}

const FAMILY_SUMMARY_LENGTH = 300;

/** The first screen of a family: who makes it, its tier by version, what it releases. */
export function renderFamily(answer: FamilyAnswer, view?: string): MessageParts {
  if (view === "full") return renderFamilyFull(answer);
  const { family, licences, models } = answer;
  const description = [
    truncateAtSentence(family.summary, FAMILY_SUMMARY_LENGTH),
    `**Lab:** ${[family.lab, family.country].filter(Boolean).join(", ") || "unknown"}`,
    `**Tier:** ${familyTierLine(answer.tiers)}`,
    family.openness ? `**Released:** ${opennessLine(family.openness)}` : null,
    models.length ? `**In the data:** ${countWords(models.length, "model")}` : null,
    family.uncertain.length ? `⚠️ ${countWords(family.uncertain.length, "point")} not confirmed: see Details.` : null,
    `**Source:** ${family.inRegistry ? sourceLine(family.source, family.checked) : "the site's model data only"}`,
  ];
  const embed: APIEmbed = {
    title: family.name,
    url: answer.url,
    description: description.filter(Boolean).join("\n"),
    color: familyColour(answer.tiers),
    footer: creditFooter(answer.credit),
  };
  const buttons = [
    entryButton("family", family.id, "Details", "full"),
    ...(licences.length > 1
      ? [entryButton("license", family.id, "Licences by version")]
      : licences.map((licence) =>
          entryButton("license", licence.id, `Licence: ${licence.short_name ?? licence.name}`),
        )),
    ...(licences.length > 1
      ? licences.slice(0, 3).map((licence) => entryButton("license", licence.id, licence.short_name ?? licence.name))
      : []),
  ];
  return { embeds: [embed], components: [buttonRow(buttons)] };
}

function familyColour(tiers: FamilyTiers): number {
  if (tiers.mixed) return NEUTRAL_COLOUR;
  return tiers.tier ? TIER_COLOUR[tiers.tier] : NEUTRAL_COLOUR;
}

function renderFamilyFull(answer: FamilyAnswer): MessageParts {
  const { family, licences, models } = answer;
  const fields: APIEmbedField[] = [
    { name: "Lab", value: family.lab ?? "unknown", inline: true },
    { name: "Country", value: family.country ?? "unknown", inline: true },
  ];
  fields.push({ name: "Tier", value: familyTierLine(answer.tiers) });
  fields.push({
    name: "Licences",
    value: bullets(familyLicenceLines(answer.versions)) || "none recorded",
  });
  if (family.openness) {
    fields.push({
      name: "What is released",
      value: [opennessLine(family.openness), family.opennessNote].filter(Boolean).join("\n"),
    });
  }
  if (models.length) {
    const lines = models.slice(0, 8).map(modelLine);
    if (models.length > 8) lines.push(`…and ${models.length - 8} more`);
    fields.push({ name: "Notable models", value: lines.join("\n") });
  }
  fields.push(...provenanceFields(family.uncertain, family.source, family.checked));
  const embed: APIEmbed = {
    title: family.name,
    url: answer.url,
    description: family.summary,
    color: family.tier ? TIER_COLOUR[family.tier] : NEUTRAL_COLOUR,
    fields,
    footer: creditFooter(answer.credit),
  };
  const buttons = licences
    .slice(0, 5)
    .map((licence) => entryButton("license", licence.id, `Licence: ${licence.short_name ?? licence.name}`));
  return {
    embeds: [embed],
    components: buttons.length ? [buttonRow(buttons)] : [],
  };
}

export function renderModel(answer: ModelAnswer): MessageParts {
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
      value: paramsText(model) ?? "Not disclosed",
      inline: true,
    },
    {
      name: "Architecture",
      value: architectureWords(model.architecture) ?? "Not disclosed",
      inline: true,
    },
    { name: "Openness", value: OPENNESS_WORDS[model.openness], inline: true },
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
  if (model.sources.length) fields.push({ name: "Sources", value: sourcesList(model.sources, 2) });
  const embed: APIEmbed = {
    title: model.displayName,
    url: answer.url,
    ...(family ? { author: { name: `${family.name} family · ${family.lab ?? model.developer}` } } : {}),
    color: licences[0] ? TIER_COLOUR[licences[0].tier] : NEUTRAL_COLOUR,
    fields,
    footer: creditFooter(answer.credit),
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
