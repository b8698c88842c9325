import type { GapsReport } from "../../answers/gaps-report.ts";
import { escapeUserText } from "../escape.ts";
import { type MessageParts, truncate } from "../limits.ts";

const KIND_WORDS: Readonly<Record<string, string>> = {
  "unknown-name": "a name the content does not hold",
  "not-covered": "no passage answers it",
  "off-topic": "off-topic",
  decline: "declined",
  "not-found": "a lookup found nothing",
};

const DAY_MS = 86_400_000;

/** The first words of a weekly report: how the bot finds its own post for a week in a channel's history. */
export function gapsReportMarker(week: string): string {
  return `**Weekly gaps report, week of ${week}`;
}

function heading(report: GapsReport): string {
  if (!report.week) return `**Last ${report.days} days on this server**`;
  const sunday = new Date(Date.parse(report.week) + 6 * DAY_MS).toISOString().slice(0, 10);
  return `${gapsReportMarker(report.week)} (to ${sunday}, UTC)**`;
}

/** `/gaps show`, and the weekly post: what the content did not answer here, and the answers marked wrong, with counts. */
export function renderGapsReport(report: GapsReport): MessageParts {
  const gapLines = report.gaps.map(
    (gap) =>
      `• **${escapeUserText(truncate(gap.missing, 80))}** (${KIND_WORDS[gap.kind] ?? gap.kind}): ${gap.count}×${
        gap.example ? ` · e.g. “${escapeUserText(truncate(gap.example, 120))}”` : ""
      }`,
  );
  const wrongLines = report.wrong.map(
    (wrong) =>
      `• ${escapeUserText(truncate(wrong.entry, 80))} (${wrong.answerKind}): ${wrong.count}×${
        wrong.reason ? ` · “${escapeUserText(truncate(wrong.reason, 120))}”` : ""
      }`,
  );
  const lines = [
    heading(report),
    "**Not answered**",
    ...(gapLines.length ? gapLines : ["• nothing recorded"]),
    "**Marked wrong or unhelpful**",
    ...(wrongLines.length ? wrongLines : ["• nothing recorded"]),
    report.keepText
      ? "Question text is kept (see `/gaps settings`); it is deleted after the retention period."
      : "Only counts and unknown names are kept; an admin can keep question text with `/gaps settings keep_text:true`.",
    ...(report.week ? ["Stop these weekly posts with `/gaps weekly off:true`."] : []),
  ];
  return { content: truncate(lines.join("\n"), 2000) };
}
