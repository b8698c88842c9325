import { answerKey } from "../answers/answer-ref.ts";
import type { Answer, DeclineAnswer, Knowledge, NotFoundAnswer, UnknownAnswer } from "../answers/types.ts";
import type { EntryKind } from "../knowledge/types.ts";
import { withFeedbackButton } from "../payloads/feedback.ts";
import { fitChoices } from "../payloads/limits.ts";
import { render } from "../payloads/render/index.ts";
import { reply } from "../payloads/reply.ts";
import type { Choice, CommandResult } from "./definition.ts";

/** The shared shape of a lookup's options. */
export interface LookupOptions {
  hide?: boolean | undefined;
  mention?: string | undefined;
  /** A detail of the entry instead of its first screen, as the detail buttons ask for. */
  details?: string | undefined;
}

const KIND_MARKER: Record<EntryKind, string> = {
  license: "📜",
  family: "🧬",
  term: "📖",
  model: "🤖",
  section: "📄",
};

/**
 * Turns an answer into the command's result: private when asked for, or when there is no answer.
 * The answer is complete, so the knowledge goes unread; the parameter stays until the commands that
 * pass it are next edited, to keep this change out of their way.
 */
export function lookupResult(
  _knowledge: Knowledge,
  command: string,
  answer: Answer,
  options: LookupOptions,
): CommandResult {
  // Nothing found, or an honest "I don't know", is for the asker alone: no noise in a busy channel.
  const notFound = answer.type === "not-found" || answer.type === "unknown" || answer.type === "decline";
  const hidden = options.hide === true;
  const parts = render(answer, { command, hidden, view: options.details });
  // Every answer can be marked wrong; what was not answered is recorded as a gap instead.
  const components = notFound
    ? parts.components
    : withFeedbackButton(parts.components ?? [], { answerKind: answer.type, entry: answerKey(answer) });
  return {
    reply: reply(
      { ...parts, ...(components?.length ? { components } : {}) },
      {
        ephemeral: hidden || notFound,
        mentionUserId: notFound ? null : (options.mention ?? null),
      },
    ),
    ...(notFound || hidden
      ? {}
      : { dedupeKey: `${command}:${answerKey(answer)}${options.details ? `:${options.details}` : ""}` }),
    ...(notFound ? { gap: gapOf(answer) } : {}),
  };
}

/** What an unanswered question lacked: the unknown name, the reason it was declined, or no passage. */
function gapOf(answer: NotFoundAnswer | UnknownAnswer | DeclineAnswer): NonNullable<CommandResult["gap"]> {
  switch (answer.type) {
    case "unknown":
      return {
        kind: answer.reason,
        missing: answer.unknownName ?? (answer.reason === "off-topic" ? "off-topic" : "no passage"),
        question: answer.question,
      };
    case "decline":
      return { kind: "decline", missing: answer.reason, question: answer.question };
    case "not-found":
      return { kind: "not-found", missing: answer.query.slice(0, 80).toLowerCase(), question: answer.query };
  }
}

/**
 * Ranked autocomplete: exact, then names that start with the typed text, then full-text matches;
 * with nothing typed, the command's pinned entries. Values are canonical ids.
 */
export function suggestChoices(
  knowledge: Knowledge,
  typed: string,
  kinds: readonly EntryKind[],
  pinned: readonly { kind: EntryKind; id: string }[],
): Choice[] {
  const hits = typed.trim()
    ? knowledge.index.suggest(typed, { kinds, limit: 25 })
    : pinned.flatMap((ref) => {
        const doc = knowledge.index.document(ref);
        return doc ? [{ ...ref, name: doc.name }] : [];
      });
  const showKind = kinds.length > 1;
  return fitChoices(
    hits.map((hit) => ({
      name: showKind ? `${KIND_MARKER[hit.kind]} ${hit.name}` : hit.name,
      value: hit.id,
    })),
  );
}
