import type { Hit } from "../../search/index.ts";
import { osaidAnswer } from "../osaid.ts";
import type { AskResult, Knowledge } from "../types.ts";
import { entryResult } from "./entry-result.ts";
import type { Question } from "./question.ts";
import { toSubject } from "./subject.ts";

/** "Does OLMo meet the OSI's Open Source AI Definition?": release facts, not licence approval. */
export function osaid({ frame, knowledge, text, subject, licensed }: Question): AskResult | null {
  if (!frame.osaid) return null;
  const term = knowledge.index.exact("osaid", { kinds: ["term"] })[0];
  const family = subject?.kind === "license" ? knowledge.kb.licences.get(subject.id)?.familyIds[0] : undefined;
  const about = family
    ? { ref: { kind: "family" as const, id: family }, name: family }
    : subject
      ? toSubject(subject)
      : null;
  if (frame.osaid === "what") return term ? entryResult(knowledge, text, term) : null;
  if (!about) return osaidRequirement(knowledge, text, frame.osaidRequirement, term);
  // "Pythia vs Llama 2 on the OSAID": the other families named, for what the OSI found of them.
  const others = licensed.flatMap((mention) =>
    mention.kind === "family"
      ? [mention.id]
      : mention.kind === "model"
        ? [knowledge.kb.models.get(mention.id)?.familyId ?? ""]
        : [],
  );
  return osaidAnswer(knowledge.kb, text, about, [...new Set(others)]);
}

/**
 * "Does OSAID require the training data?", "can a compliant model use GPL?": the definition's own
 * requirement, answered yes or no from our registry with its source, above the definition's entry.
 */
function osaidRequirement(knowledge: Knowledge, text: string, asked: string | null, term: Hit | undefined) {
  const facts = knowledge.kb.osaid;
  const fact = asked ? facts?.requirements.get(asked) : undefined;
  if (!fact || !term || !facts) return null;
  const answer = entryResult(knowledge, text, term);
  if (answer?.type !== "ask") return answer;
  const [word, ...rest] = fact.text.split(": ");
  const source = `[${facts.source.title}](${facts.source.url}), checked ${facts.checked}`;
  return { ...answer, lead: `**${word}**: ${rest.join(": ")} (${source})` };
}

/** "Does the OSAID require the training code?": the definition's own entry, when nothing else is named. */
export function osaidConcept({ frame, knowledge, text }: Question): AskResult | null {
  if (!frame.osaid) return null;
  const term = knowledge.index.exact("osaid", { kinds: ["term"] })[0];
  return term ? entryResult(knowledge, text, term) : null;
}
