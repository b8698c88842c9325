import type { HardwareCompareAnswer, PartFigures } from "../../answers/fit/hardware-compare.ts";
import { buttonRow, linkButton } from "../components.ts";
import { escapeUserText } from "../escape.ts";
import { creditFooter, link, NEUTRAL_COLOUR } from "../format.ts";
import { type MessageParts, truncate } from "../limits.ts";

const MARK: Record<HardwareCompareAnswer["words"], string> = {
  "about the same as": "⚖️",
  faster: "⬆️",
  "much faster": "⏫",
  slower: "⬇️",
  "much slower": "⏬",
};

/** "8% more", "2.1× as much": a ratio as people say it. */
function howMuch(ratio: number): string {
  if (ratio >= 1.8) return `${ratio.toFixed(1)}× as much`;
  const percent = Math.round(Math.abs(ratio - 1) * 100);
  return ratio >= 1 ? `${percent}% more` : `${percent}% less`;
}

const figures = (part: PartFigures) => `${part.bandwidthGbs.toLocaleString("en-US")} GB/s`;

/** Two parts weighed for generating text: bandwidth first, then compute, then memory. */
export function renderHardwareCompare(answer: HardwareCompareAnswer): MessageParts {
  const { subject, other, decodeRatio, computeRatio, links } = answer;
  const than = answer.words === "about the same as" ? "" : " than";
  const lead = `${MARK[answer.words]} **${subject.name}: ${answer.words}**${than} ${other.name} for generating text, by the site's method: generation is bound by memory bandwidth, and it has ${figures(subject)} against ${figures(other)} (${howMuch(decodeRatio)}).`;
  const lines = [
    lead,
    computeRatio !== null
      ? `**Prompt processing** follows compute instead: ${subject.fp16Tflops} against ${other.fp16Tflops} TFLOPS at FP16 (${howMuch(computeRatio)}), which matters for long prompts.`
      : null,
    `**Memory** decides what fits: ${subject.memoryGb} GB against ${other.memoryGb} GB.`,
    `Estimates from the catalogue's figures, not measurements. **Method:** ${link("the site's hardware explorer", links.hardware)}`,
  ];
  return {
    ...(answer.question ? { content: `**Asked:** ${truncate(escapeUserText(answer.question), 200)}` } : {}),
    embeds: [
      {
        title: truncate(`${subject.name} vs ${other.name}: generation speed`, 256),
        url: links.hardware,
        description: lines.filter(Boolean).join("\n"),
        color: NEUTRAL_COLOUR,
        footer: creditFooter(answer.credit, "Estimates from the site's published method"),
      },
    ],
    components: [
      buttonRow([linkButton("Hardware explorer", links.hardware), linkButton("Memory bandwidth", links.memoryLesson)]),
    ],
  };
}
