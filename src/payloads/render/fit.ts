import type { APIEmbed } from "discord-api-types/v10";
import type { MemoryBill, SpeedEstimate } from "../../answers/fit/estimate.ts";
import type { FitAlternative, FitAnswer, FitCapacityAnswer } from "../../answers/fit/fit.ts";
import { formatBillions } from "../../answers/fit/sized-model.ts";
import type { BenchmarkRow } from "../../answers/views.ts";
import { buttonRow, entryButton, linkButton } from "../components.ts";
import { escapeUserText } from "../escape.ts";
import { creditFooter, link, NEUTRAL_COLOUR } from "../format.ts";
import { type MessageParts, truncate } from "../limits.ts";

const FITS = 0x2e9e5b;
const TIGHT = 0xe69b22;
const DOES_NOT_FIT = 0xd4483b;
/** Less headroom than this and a longer prompt or a second stream tips it over. */
const TIGHT_HEADROOM = 0.05;

/** "39.5 GB", "14 GB" (no ".0"), "389 GB": one decimal under a hundred. */
export function gb(value: number): string {
  const shown = value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1).replace(/\.0$/, "");
  return `${shown} GB`;
}

/** The headline figure, in whole gigabytes as people say it ("about 40 GB"). */
function roundGb(value: number): string {
  return `${Math.max(1, Math.round(value)).toLocaleString("en-US")} GB`;
}

function tokensPerSecond(value: number): string {
  return value >= 10 ? String(Math.round(value)) : value.toFixed(1);
}

function tokens(count: number): string {
  return `${count.toLocaleString("en-US")} tokens`;
}

function unitsName(units: number, name: string): string {
  return units > 1 ? `${units} × ${name}` : name;
}

function billLine(answer: FitAnswer, bill: MemoryBill): string {
  const parts = [
    `weights ${gb(bill.weightsGb)}`,
    `KV cache ${gb(bill.kvGb)} (${tokens(answer.contextTokens)})`,
    `${answer.runtime.label} overhead ${gb(bill.overheadGb)}`,
  ];
  const total = `${parts.join(" + ")} = **${gb(bill.needGb)}**`;
  // A serving engine takes its share up front and fills what the weights leave with KV cache.
  const { memory } = answer.runtime;
  const reserve =
    memory.kind === "reserve"
      ? ` (${answer.runtime.label} reserves ${Math.round(memory.reservedShare * 100)}% of GPU memory up front, \`${memory.flag}\`, and keeps what the weights leave for the KV cache)`
      : "";
  return answer.hardware ? `**Memory:** ${total} of ${gb(bill.usableGb)} usable${reserve}` : `**Memory:** ${total}`;
}

function speedLine(speed: SpeedEstimate): string {
  const band = `about ${tokensPerSecond(speed.low)}–${tokensPerSecond(speed.high)} tokens/s for one stream`;
  const ceiling = speed.computeCap
    ? `capped by compute at ${tokensPerSecond(speed.computeCap)} tokens/s`
    : `ceiling ${tokensPerSecond(speed.ceiling)} tokens/s (${Math.round(speed.bandwidthGbs).toLocaleString("en-US")} GB/s ÷ ${gb(speed.bytesPerTokenGb)} read per token)`;
  return `**Speed (estimate):** ${band}; ${ceiling}`;
}

function measuredLine(answer: FitAnswer, row: BenchmarkRow): string {
  const same =
    row.quant === answer.format.id && row.runtime === answer.runtime.id && row.units === (answer.hardware?.units ?? 1);
  const setup = [
    row.runtime,
    row.quant.toUpperCase(),
    row.contextLength ? tokens(row.contextLength) : null,
    row.units > 1 ? `${row.units} units` : null,
  ]
    .filter(Boolean)
    .join(", ");
  return `**Measured${same ? "" : " (another setup)"}:** ${tokensPerSecond(row.decodeTokS)} tokens/s (${setup}) · ${link("source", row.source)}${row.asOf ? `, ${row.asOf}` : ""}`;
}

function alternativeText(answer: FitAnswer, alternative: FitAlternative): string {
  switch (alternative.kind) {
    case "format":
      return `${alternative.format.label} (${gb(alternative.needGb)} of ${gb(alternative.usableGb)})${alternative.format.bytesPerParam < 0.5 ? ", with a visible loss of quality" : ""}`;
    case "context":
      return `up to ${tokens(alternative.tokens)} of context`;
    case "units":
      return `${answer.hardware?.entry ? unitsName(alternative.units, answer.hardware.entry.name) : `${alternative.units} such cards`} (${gb(alternative.needGb)} of ${gb(alternative.usableGb)})`;
    case "runtime":
      return `${alternative.runtime.label} at ${alternative.format.label} (${gb(alternative.needGb)} of ${gb(alternative.usableGb)})`;
    case "hardware":
      return `${alternative.hardware.name} (${gb(alternative.usableGb)} usable)`;
  }
}

function opening(answer: FitAnswer): { line: string; colour: number } {
  const { bill, hardware, model, format } = answer;
  const setup = `${model.name} at ${format.label} with ${tokens(answer.contextTokens)} of context`;
  if (!hardware) {
    return {
      line: `📦 **About ${roundGb(bill.weightsGb)} for the weights**: ${setup} needs about ${roundGb(bill.needGb)} in all with ${answer.runtime.label}.`,
      colour: NEUTRAL_COLOUR,
    };
  }
  const where = unitsName(hardware.units, hardware.spec.name);
  if (!bill.fits) {
    return {
      line: `⛔ **No, it does not fit**: ${setup} needs about ${roundGb(bill.needGb)} (${roundGb(bill.weightsGb)} of weights); ${where} gives ${answer.runtime.label} ${gb(bill.usableGb)}.`,
      colour: DOES_NOT_FIT,
    };
  }
  const spare = Math.round(bill.headroom * 100);
  if (bill.headroom < TIGHT_HEADROOM) {
    return {
      line: `⚠️ **Yes, just**: ${setup} needs about ${roundGb(bill.needGb)} (${roundGb(bill.weightsGb)} of weights) of the ${gb(bill.usableGb)} ${answer.runtime.label} can use on ${where} (${spare}% to spare): a longer prompt tips it over.`,
      colour: TIGHT,
    };
  }
  return {
    line: `✅ **Yes, it fits**: ${setup} needs about ${roundGb(bill.needGb)} (${roundGb(bill.weightsGb)} of weights) of the ${gb(bill.usableGb)} ${answer.runtime.label} can use on ${where} (${spare}% to spare).`,
    colour: FITS,
  };
}

function notes(answer: FitAnswer): string[] {
  const lines: string[] = [];
  const { model } = answer;
  if (answer.unknownName) {
    lines.push(
      `❔ I don't know a model called “${escapeUserText(answer.unknownName)}”: this is the estimate for a model of its size, not that model's card.`,
    );
  } else if (answer.sizeFromName && answer.modelEntry === null && model.slug === null && !model.name.startsWith("a ")) {
    lines.push(
      `Size read from the name (${formatBillions(model.paramsTotal / 1e9)}B): the data has no row for this model.`,
    );
  }
  if (model.moe) {
    lines.push(
      `Mixture of experts: all ${formatBillions(model.paramsTotal / 1e9)}B parameters must be loaded, while only the ${formatBillions(model.paramsActive / 1e9)}B active per token set the speed.`,
    );
  }
  if (answer.bill.kv.estimated) {
    lines.push(
      `KV cache estimated (${answer.bill.kv.layers} layers, ${answer.bill.kv.kvHeads} KV heads, head size ${answer.bill.kv.headDim}): the model's shape is not in the data.`,
    );
  }
  if (answer.formatMismatch)
    lines.push(`${answer.runtime.label} does not load ${answer.format.label} files: estimated as asked all the same.`);
  const contextWindow = Number(answer.modelEntry?.contextWindow);
  if (contextWindow > 0 && answer.contextTokens > contextWindow)
    lines.push(`${model.name} reads at most ${tokens(contextWindow)} of context.`);
  return lines;
}

function assumedLine(answer: FitAnswer, command: boolean): string | null {
  if (answer.defaulted.length === 0) return null;
  const parts = answer.defaulted.map((input) =>
    input === "format"
      ? answer.format.label
      : input === "context"
        ? tokens(answer.contextTokens)
        : answer.runtime.label,
  );
  const how = command
    ? "set `quant`, `context` or `runtime` to change them"
    : "name a format, a context length or a runtime to change them";
  return `Assumed: ${parts.join(", ")} (${how}).`;
}

export function renderFit(answer: FitAnswer): MessageParts {
  const { links } = answer;
  const { line, colour } = opening(answer);
  const hardware = answer.hardware;
  const lines = [line, billLine(answer, answer.bill)];
  if (hardware && answer.bill.fits) {
    if (answer.speed) lines.push(speedLine(answer.speed));
    else lines.push("**Speed:** needs the card's memory bandwidth: name the card to get an estimate.");
  }
  const [measured] = answer.measured;
  if (measured) lines.push(measuredLine(answer, measured));
  if (answer.alternatives.length > 0) {
    const label = hardware ? "**What would fit:**" : "**Smallest single parts that hold it:**";
    lines.push(
      `${label} ${answer.alternatives.map((alternative) => alternativeText(answer, alternative)).join(" · ")}`,
    );
  }
  lines.push(...notes(answer));
  const assumed = assumedLine(answer, answer.question === null);
  if (assumed) lines.push(assumed);
  const hardwareSource = hardware?.entry?.sources[0];
  lines.push(
    [
      `**Method:** ${link("the site's hardware explorer", links.hardware)}`,
      ...(hardwareSource
        ? [
            `${link(hardwareSource.title, hardwareSource.url)}${hardware?.entry?.checked ? `, checked ${hardware.entry.checked}` : ""}`,
          ]
        : []),
    ].join(" · "),
  );
  const title = hardware
    ? `${answer.model.name} on ${unitsName(hardware.units, hardware.spec.name)}`
    : `${answer.model.name}: memory needed`;
  const embed: APIEmbed = {
    title: truncate(title, 256),
    url: answer.url,
    description: lines.join("\n"),
    color: colour,
    footer: creditFooter(answer.credit, "An estimate from the site's published method, not a measurement"),
  };
  return {
    ...(answer.question ? { content: `**Asked:** ${truncate(escapeUserText(answer.question), 200)}` } : {}),
    embeds: [embed],
    components: [
      buttonRow([
        ...(answer.modelEntry
          ? [entryButton("license", answer.modelEntry.slug, `Licence: ${answer.modelEntry.displayName}`)]
          : []),
        linkButton("Hardware explorer", links.hardware),
        linkButton("GPU memory math", links.memoryLesson),
      ]),
    ],
  };
}

export function renderFitCapacity(answer: FitCapacityAnswer): MessageParts {
  const { hardware, links } = answer;
  const where = unitsName(hardware.units, hardware.spec.name);
  const shown = answer.fits.slice(0, 8);
  const lines = [
    answer.fits.length > 0
      ? `✅ **${answer.fits.length} of the models I know fit** on ${where} at ${answer.format.label} with ${tokens(answer.contextTokens)} of context (${gb(answer.usableGb)} usable with ${answer.runtime.label}); the largest first:`
      : `⛔ **None of the models I know fit** on ${where} at ${answer.format.label} with ${tokens(answer.contextTokens)} of context (${gb(answer.usableGb)} usable with ${answer.runtime.label}).`,
    ...shown.map(
      ({ model, needGb, speed }) =>
        `• ${model.displayName}: ${gb(needGb)}${speed ? `, about ${tokensPerSecond(speed.low)}–${tokensPerSecond(speed.high)} tokens/s` : ""}`,
    ),
    ...(answer.fits.length > shown.length ? [`…and ${answer.fits.length - shown.length} smaller.`] : []),
    ...(answer.tooBig.length > 0
      ? [
          `**Just too big:** ${answer.tooBig.map(({ model, needGb }) => `${model.displayName} (${gb(needGb)})`).join(" · ")}`,
        ]
      : []),
    `Speeds are estimates for one stream. **Method:** ${link("the site's hardware explorer", links.hardware)} · ${link("quantization formats", links.formatsLesson)}`,
  ];
  return {
    ...(answer.question ? { content: `**Asked:** ${truncate(escapeUserText(answer.question), 200)}` } : {}),
    embeds: [
      {
        title: truncate(`What fits on ${where}`, 256),
        url: links.hardware,
        description: lines.join("\n"),
        color: answer.fits.length > 0 ? FITS : DOES_NOT_FIT,
        footer: creditFooter(answer.credit, "Estimates from the site's published method"),
      },
    ],
    components: [
      buttonRow([linkButton("Hardware explorer", links.hardware), linkButton("GPU memory math", links.memoryLesson)]),
    ],
  };
}
