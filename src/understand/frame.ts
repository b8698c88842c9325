import type { ClauseQuestion } from "../content/schemas.ts";
import type { KnowledgeBase } from "../knowledge/types.ts";
import type { Mention, SearchIndex } from "../search/index.ts";
import { type FitQuestion, readFitQuestion } from "./fit-question.ts";
import { readNames, withoutNames } from "./names.ts";
import { readProposedName, readSituation, type Situation, withoutProposedName } from "./situation.ts";
import { vocabulary } from "./vocabulary.ts";

/** "Can I" / "must I" / "is there a rule" / "does it forbid": the question a verdict's first words answer. */
export type Polarity = "may" | "must" | "is-there" | "forbids";

/**
 * One question, read once: what it names, what it asks of it, and who asks. Answers are a decision
 * table over this frame; nothing after it reads the question's wording again for these facts.
 */
export interface Frame {
  text: string;
  polarity: Polarity | null;
  clause: ClauseQuestion | null;
  /** The cue that chose the clause: "have to open-source my fine-tune" asks about copyleft. */
  clauseCue: string | null;
  mentions: Mention[];
  tools: string[];
  unknownNames: string[];
  /** Where the model and family names sit, with their attached words, in the folded text. */
  nameSpans: [number, number][];
  /** Sizes and variants attached to the names ("90b", "vision"): which model is meant. */
  nameWords: string[];
  /** The question with typed family names spelled as the content spells them. */
  resolvedText: string;
  sizes: string[];
  variants: string[];
  situation: Situation;
  declineReason: string | null;
  /** "Does X meet the OSI's Open Source AI Definition", apart from "is its licence OSI-approved". */
  osaid: "about" | "what" | null;
  /** Which of the definition's own requirements it asks of ("does OSAID require the training data?"). */
  osaidRequirement: string | null;
  /** Fit and speed: the hardware, format, runtime and context named, and whether fit is asked about. */
  fit: FitQuestion;
  /** The content's words for the asker's ("vram" → "gpu memory"), searched beside the question. */
  searchWords: string[];
}

/**
 * "Any issue if our SaaS uses it? Is that allowed?": a closing question that asks again, plainly,
 * is the one answered; otherwise the earliest way of asking decides.
 */
function readPolarity(vocab: ReturnType<typeof vocabulary>, text: string): Polarity | null {
  const questions = text.split(/(?<=\?)\s+/).filter((sentence) => sentence.trim().endsWith("?"));
  const last = questions.length > 1 ? questions.at(-1)! : null;
  const closing = last ? vocab.earliest("polarity", last) : null;
  return (closing ?? vocab.earliest("polarity", text)) as Polarity | null;
}

export function understand(kb: KnowledgeBase, index: SearchIndex, text: string): Frame {
  const vocab = vocabulary();
  // Only model, family and licence names: a glossary word ("distillation") is what is asked about.
  // "Release it as 'Orca-Edu-8B'": a name the asker proposes is not a model or family to look up.
  const names = readNames(kb, index, vocab, withoutProposedName(text, readProposedName(vocab, text)));
  const named = names.mentions.filter((mention) => mention.kind !== "term");
  const [clauseMatch] = vocab.matches("clause", withoutNames(text, named, names.nameSpans));
  const osaid = vocab.has("intent", "osaid-what", text) ? "what" : vocab.has("intent", "osaid", text) ? "about" : null;
  return {
    text,
    polarity: readPolarity(vocab, text),
    clause: (clauseMatch?.cue.means ?? null) as ClauseQuestion | null,
    clauseCue: clauseMatch?.cue.id ?? null,
    ...names,
    situation: readSituation(vocab, text),
    declineReason: vocab.first("decline", text),
    osaid,
    osaidRequirement: osaid ? vocab.first("osaid-requirement", text) : null,
    fit: readFitQuestion(kb, vocab, text),
    searchWords: vocab.all("search-word", text),
  };
}
