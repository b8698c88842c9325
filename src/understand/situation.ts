import { foldText } from "../knowledge/normalize.ts";
import { parseAmounts } from "./amounts.ts";
import type { Vocabulary } from "./vocabulary.ts";

/** Who is asking, where, at what scale and for what: what turns a clause into a verdict for them. */
export interface Situation {
  /** Countries named, as ISO codes. */
  places: string[];
  /** Regions those countries belong to (EU, EEA, UK, CH). */
  regions: string[];
  users?: number;
  /** Users on a licence's release date ("back when Llama 3.1 came out we had 300M"). */
  usersAtRelease?: number;
  revenuePerMonth?: number;
  purposes: string[];
  role: "company" | "individual" | "end-user" | null;
  /** The name the asker means to give what they share ("release it as 'SupportBot-9B'"). */
  proposedName?: string;
  /** The model the asker trains or improves with another's outputs ("…to fine-tune Llama 2 7B"). */
  trainingTarget?: string;
}

/** Words before a place that make it where the asker's users are, not where the asker is. */
const USERS_IN = /\b(?:users?|customers?|clients?|audience|visitors|people|players|subscribers|traffic)\b[^.?!]{0,30}$/;

export function readSituation(vocab: Vocabulary, question: string): Situation {
  const folded = foldText(question);
  const found = vocab.matches("place", question);
  const own = found.filter(({ match }) => !USERS_IN.test(folded.slice(Math.max(0, match.index - 40), match.index)));
  // "HQ in Austin, users in Spain": the clause is about where the asker is; users elsewhere are not.
  const places = [...new Set(own.map(({ cue }) => cue.means))];
  const regions = [...vocab.regions]
    .filter(([, members]) => places.some((code) => members.has(code)))
    .map(([code]) => code);
  let purposes = vocab.all("purpose", question);
  // "Internal only, never released" outweighs the word "release" in the same breath.
  if (purposes.includes("internal")) purposes = purposes.filter((purpose) => purpose !== "share");
  // "A free bot, no ads, no payments", "side projects I don't sell": not commercial, whatever else it says.
  if (purposes.includes("non-commercial")) purposes = purposes.filter((purpose) => purpose !== "commercial");
  return {
    places,
    regions,
    ...parseAmounts(question),
    purposes,
    role: vocab.first("role", question) as Situation["role"],
    ...proposedName(vocab, question),
    ...trainingTarget(vocab, question),
  };
}

function trainingTarget(vocab: Vocabulary, question: string): { trainingTarget?: string } {
  const match = vocab.capture("intent", "training-target", question);
  const target = match
    ?.slice(1)
    .find(Boolean)
    ?.replace(/[.-]+$/, "")
    .trim();
  return target ? { trainingTarget: target } : {};
}

function proposedName(vocab: Vocabulary, question: string): { proposedName?: string } {
  const name = readProposedName(vocab, question);
  return name ? { proposedName: name } : {};
}

/** The quoted name the asker means to give a model, as they typed it ("SupportBot-9B"). */
export function readProposedName(vocab: Vocabulary, question: string): string | null {
  const folded = vocab.capture("intent", "proposed-name", question)?.[1]?.trim();
  if (!folded) return null;
  // The cue reads folded text: the asker's own casing comes from the question itself.
  const at = question.toLowerCase().indexOf(folded.toLowerCase());
  return at >= 0 ? question.slice(at, at + folded.length) : folded;
}

/** The question with a proposed name blanked out: its words are not models or families to look up. */
export function withoutProposedName(question: string, name: string | null): string {
  if (!name) return question;
  const at = question.toLowerCase().indexOf(name.toLowerCase());
  return at < 0 ? question : `${question.slice(0, at)}${" ".repeat(name.length)}${question.slice(at + name.length)}`;
}

/** Whether a situation gives anything a condition could be checked against. */
export function saysAnything(situation: Situation): boolean {
  return (
    situation.places.length > 0 ||
    situation.users !== undefined ||
    situation.usersAtRelease !== undefined ||
    situation.revenuePerMonth !== undefined ||
    situation.purposes.length > 0
  );
}
