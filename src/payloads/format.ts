import type { APIEmbedField, APIEmbedFooter } from "discord-api-types/v10";
import { isFavourable } from "../answers/verdicts.ts";
import type { Model } from "../answers/views.ts";
import type {
  ClauseKind,
  ClauseQuestion,
  OpennessAspect,
  OpennessLevel,
  Source,
  Tier,
  Verdict,
} from "../content/schemas.ts";

export const TIER_LABEL: Record<Tier, string> = {
  open: "🟢 Open",
  "open-with-condition": "🟢 Open, with a condition",
  "source-available": "🟠 Source-available, with restrictions",
  proprietary: "🔴 Proprietary",
};

export const TIER_COLOUR: Record<Tier, number> = {
  open: 0x2e9e5b,
  "open-with-condition": 0x3fa7a0,
  "source-available": 0xe69b22,
  proprietary: 0xd4483b,
};

export const NEUTRAL_COLOUR = 0x5865f2;

/** The mark beside a verdict: green for good news to the asker, red for bad, amber for "it depends". */
export function verdictMark(clause: ClauseQuestion, verdict: Verdict): string {
  if (verdict === "unconfirmed") return "❔";
  if (verdict === "not-addressed") return "➖";
  const favourable = isFavourable(clause, verdict);
  return favourable === null ? "⚠️" : favourable ? "✅" : "⛔";
}

export const CLAUSE_LABEL: Record<ClauseKind, string> = {
  "user-cap": "User cap",
  "revenue-cap": "Revenue threshold",
  "acceptable-use-policy": "Acceptable-use policy",
  "attribution-display": "Attribution on display",
  "derivative-naming": "Naming of derivatives",
  "no-training-other-models": "No training other models",
  "non-commercial": "Non-commercial only",
  "non-production": "Non-production only",
  "pass-through-restrictions": "Restrictions pass downstream",
  "remote-restriction": "Remote restriction",
  revocation: "Revocation",
  "region-exclusion": "Regional exclusion",
  "policy-may-change": "Policy may change",
  "notice-file": "Notice file",
};

export const OPENNESS_LABEL: Record<OpennessAspect, string> = {
  weights: "Weights",
  data: "Data",
  training_code: "Training code",
  logs: "Logs",
  paper: "Paper",
};

const OPENNESS_MARK: Record<OpennessLevel, string> = {
  yes: "✅",
  partial: "◐",
  no: "❌",
};

export function opennessLine(openness: Readonly<Record<OpennessAspect, OpennessLevel>>): string {
  return (Object.keys(OPENNESS_LABEL) as OpennessAspect[])
    .map((aspect) => `${OPENNESS_MARK[openness[aspect]]} ${OPENNESS_LABEL[aspect]}`)
    .join(" · ");
}

/** "1 model", "3 models": a count in words. */
export function countWords(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export function bullets(items: readonly string[]): string {
  return items.map((item) => `• ${item}`).join("\n");
}

export function link(title: string, url: string): string {
  return `[${title.replace(/[[\]]/g, "")}](${url})`;
}

export function sourceLine(source: Source | null, checked: string | null): string {
  const parts = [source ? link(source.title, source.url) : null, checked ? `checked ${checked}` : null];
  return parts.filter(Boolean).join(" · ") || "—";
}

/** The last fields of a registry card: what could not be confirmed, then the source and when it was checked. */
export function provenanceFields(
  uncertain: readonly string[],
  source: Source | null,
  checked: string | null,
): APIEmbedField[] {
  return [
    ...(uncertain.length ? [{ name: "⚠️ Not confirmed", value: bullets(uncertain) }] : []),
    { name: "Source", value: sourceLine(source, checked) },
  ];
}

export function sourcesList(sources: readonly Source[], max = 4): string {
  return sources
    .slice(0, max)
    .map((source) => link(source.title, source.url))
    .join("\n");
}

/** "235B total, 22B active", "70B", "1.5T": parameter counts as people say them. */
export function paramsText(model: Model): string | null {
  const total = model.paramsTotal;
  if (total === null) return null;
  const active = model.paramsActive !== null && model.paramsActive !== total ? model.paramsActive : null;
  return active === null ? parameterCount(total) : `${parameterCount(total)} total, ${parameterCount(active)} active`;
}

export function parameterCount(value: number): string {
  const [divisor, unit] =
    value >= 1e12 ? [1e12, "T"] : value >= 1e9 ? [1e9, "B"] : value >= 1e6 ? [1e6, "M"] : [1e3, "K"];
  return `${Number((value / divisor).toFixed(value / divisor >= 100 ? 0 : 1))}${unit}`;
}

/** The answer's credit to the site, after any note of the card's own. */
export function creditFooter(credit: string, extra?: string): APIEmbedFooter {
  return { text: extra ? `${extra} · ${credit}` : credit };
}

export function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}
