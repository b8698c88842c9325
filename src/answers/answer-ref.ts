import type { EntryRef } from "../knowledge/types.ts";
import type { Answer } from "./types.ts";

/** The entry an answer is about (for /ask, its best entry); null when there is no single entry. */
export function answerRef(answer: Answer): EntryRef | null {
  switch (answer.type) {
    case "license":
      return { kind: "license", id: answer.licence.id };
    case "license-history":
    case "family":
      return { kind: "family", id: answer.family.id };
    case "term":
      return { kind: "term", id: answer.term.slug };
    case "model":
      return { kind: "model", id: answer.model.slug };
    case "section":
      return { kind: "section", id: answer.section.id };
    case "ask":
      return answerRef(answer.best);
    default:
      return null;
  }
}

/**
 * One key per answer: the entry it is about, or what a shaped answer decides ("license:llama-4#user-cap",
 * "compare:family:llama|family:qwen", "list:releases-data"). Flood control keys answers by it and the
 * /ask evaluation scores them by it.
 */
export function answerKey(answer: Answer): string {
  const ref = answerRef(answer);
  if (ref) return `${ref.kind}:${ref.id}`;
  switch (answer.type) {
    case "compare":
      return `compare:${answerKey(answer.left)}|${answerKey(answer.right)}`;
    case "clause":
      return `license:${answer.licence.id}#${answer.fact.clause}`;
    case "licence-of":
      return `license:${answer.licence.id}`;
    case "list":
      return `list:${answer.rule}`;
    case "fit":
      return `fit:${answer.model.slug ?? answer.model.name}@${answer.hardware?.units ?? 1}x${answer.hardware?.spec.name ?? "-"}:${answer.format.id}:${answer.runtime.id}:${answer.contextTokens}`;
    case "fit-capacity":
      return `fit-capacity:${answer.hardware.units}x${answer.hardware.spec.name}:${answer.format.id}:${answer.runtime.id}:${answer.contextTokens}`;
    default:
      return answer.type;
  }
}
