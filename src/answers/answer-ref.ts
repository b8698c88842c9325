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
