import { answerKey } from "../answers/answer-ref.ts";
import type { Answer, Knowledge } from "../answers/types.ts";
import type { EntryKind } from "../knowledge/types.ts";
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

/** Turns an answer into the command's result: private when asked for, or when there is no answer. */
export function lookupResult(
  knowledge: Knowledge,
  command: string,
  answer: Answer,
  options: LookupOptions,
): CommandResult {
  // Nothing found, or an honest "I don't know", is for the asker alone: no noise in a busy channel.
  const notFound = answer.type === "not-found" || answer.type === "unknown" || answer.type === "decline";
  const hidden = options.hide === true;
  const parts = render(answer, { kb: knowledge.kb, command, hidden, view: options.details });
  return {
    reply: reply(parts, {
      ephemeral: hidden || notFound,
      mentionUserId: notFound ? null : (options.mention ?? null),
    }),
    ...(notFound || hidden
      ? {}
      : { dedupeKey: `${command}:${answerKey(answer)}${options.details ? `:${options.details}` : ""}` }),
  };
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
