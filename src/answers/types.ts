import type { ClauseQuestion, OpennessLevel, Tier, Verdict } from "../content/schemas.ts";
import type {
  EntryRef,
  Family,
  KnowledgeBase,
  LayerSection,
  Licence,
  Model,
  Source,
  Term,
} from "../knowledge/types.ts";
import type { Knowledge } from "../load/knowledge.ts";
import type { AskerVerdict } from "./asker-verdict.ts";
import type { ExplainAnswer } from "./explain.ts";
import type { FitAnswer, FitCapacityAnswer } from "./fit/fit.ts";
import type { HardwareCompareAnswer } from "./fit/hardware-compare.ts";
import type { EntryLink, FamilyTiers, FamilyVersion, ModelWithLicence } from "./views.ts";

export type { Knowledge } from "../load/knowledge.ts";

/** What every answer with a card carries: the page it links to, and the credit line under it. */
export interface Card {
  url: string;
  credit: string;
}

/** What a message credits the site with, when it links to no page of its own. */
export interface Credited {
  credit: string;
}

export interface LicenceAnswer extends Card {
  type: "license";
  licence: Licence;
  /** When the user named a model rather than the licence. */
  via: Model | null;
  /** When the user named a family that has only this licence. */
  viaFamily: Family | null;
  previous: Licence | null;
  families: Family[];
  models: Model[];
}

export interface LicenceHistoryAnswer extends Card {
  type: "license-history";
  family: Family;
  /** The most restrictive tier among its licences: the card's colour. */
  strictest: Tier | null;
  /** Newest first, each with its licence and what changed from the entry after it in the list. */
  entries: {
    version: string;
    released: string | null;
    models: string | null;
    note: string | null;
    licence: Licence;
  }[];
}

export interface FamilyAnswer extends Card {
  type: "family";
  family: Family;
  licences: Licence[];
  models: ModelWithLicence[];
  tiers: FamilyTiers;
  /** Every release line, newest first, with its licence. */
  versions: FamilyVersion[];
}

export interface TermAnswer extends Card {
  type: "term";
  term: Term;
  layerTitle: string;
  secondaryLayerTitles: string[];
  related: Term[];
  /** The lessons that use the term, one per page. */
  lessons: { title: string; url: string }[];
  /** The sentences past the entry's opening that answer the question asked; absent when opened by name. */
  point?: string | null;
}

export interface ModelAnswer extends Card {
  type: "model";
  model: Model;
  family: Family | null;
  licences: Licence[];
}

export interface SectionAnswer extends Card {
  type: "section";
  section: LayerSection;
  /** The sentences that answer the question asked, quoted first; absent when opened by name. */
  point?: string | null;
  /** Passages to read next, offered as buttons: the following one on its page, then others found. */
  next?: { id: string; label: string }[];
}

export type EntryAnswer =
  | LicenceAnswer
  | LicenceHistoryAnswer
  | FamilyAnswer
  | TermAnswer
  | ModelAnswer
  | SectionAnswer;

export interface AskAnswer {
  type: "ask";
  question: string;
  best: EntryAnswer;
  seeAlso: EntryLink[];
  /** A first line that answers a yes/no question the entry then explains ("No: two different things"). */
  lead?: string;
}

/** A request the bot declines (legal advice, guarantees, drafting, predictions, rankings), kindly. */
export interface DeclineAnswer {
  type: "decline";
  question: string;
  reason: string;
  /** Entries the question named: what the bot can show instead. */
  offers: EntryLink[];
}

/** "Does X meet the OSI's Open Source AI Definition": the release facts, apart from licence approval. */
export interface OsaidAnswer extends Card {
  type: "osaid";
  question: string;
  family: Family;
  licence: Licence | null;
  /** Weights under an OSI-approved licence, training code released, training data released. */
  checks: { weights: boolean; code: OpennessLevel | null; data: OpennessLevel | null };
  meets: boolean;
  /** What the OSI's own validation found for a system of this family, when it judged one. */
  validated: { year: number; name: string; verdict: "passed" | "licence-change" | "failed" } | null;
  /** The same for other families the question names ("pythia vs llama 2 on the OSAID"). */
  alsoValidated?: { year: number; name: string; verdict: "passed" | "licence-change" | "failed" }[];
}

/** What `/ask` returns: an answer shaped by the question. */
export type AskResult =
  | FitAnswer
  | FitCapacityAnswer
  | HardwareCompareAnswer
  | DeclineAnswer
  | OsaidAnswer
  | AskAnswer
  | ClauseAnswer
  | LicenceOfAnswer
  | ListAnswer
  | CompareAnswer
  | UnknownAnswer
  | NotFoundAnswer;

/** One licence's answer to one of the fixed clause questions, with where it comes from. */
export interface ClauseFact {
  clause: ClauseQuestion;
  verdict: Verdict;
  text: string;
  figure: string | null;
  measuredOn: string | null;
  source: Source;
  checked: string;
}

/** Versions of a family that give the same verdict on a clause, oldest first. */
export interface VerdictSpan {
  versions: string[];
  verdict: Verdict;
  licenceId: string;
}

/** The entry a question named, and what it was called. */
export interface Subject {
  ref: EntryRef;
  name: string;
}

/** A yes/no question about one clause: the verdict first, for the licence that decides it. */
export interface ClauseAnswer extends Card {
  type: "clause";
  question: string;
  subject: Subject;
  licence: Licence;
  fact: ClauseFact;
  /** The verdict for the asker: the question's polarity and situation applied to the clause. */
  asker: AskerVerdict;
  family: Family | null;
  /** The version answered, when a family was named without one (its newest). */
  newestOf: string | null;
  /** The family version the question named, when it named one ("Gemma 2"). */
  version: string | null;
  /** Sizes the question gives that match no release we hold: the answer is for another release. */
  unlisted: string[];
  /** How the family's versions differ on this clause; empty when they agree. */
  spans: VerdictSpan[];
}

/** "What licence is X under": the licence and its tier in one line, then its short card. */
export interface LicenceOfAnswer extends Card {
  type: "licence-of";
  question: string;
  subject: Subject;
  licence: Licence;
  family: Family | null;
  newestOf: string | null;
  version: string | null;
  unlisted: string[];
  /** The family's other licences, by version, when it has several. */
  otherVersions: { version: string; licence: Licence }[];
  /** The licence the question guessed ("is tulu 3 apache?"): the first word says whether it is right. */
  claimed: Licence | null;
  /** A licence the family has left that the question asks about ("still under the Yi licence?"). */
  formerly?: { name: string; versions: string; note: string };
  /** The registry's note on the release answered, when it names one: "both sets of terms apply". */
  releaseNote?: string | null;
}

export interface ListItem {
  /** The entry it opens; null for a system the registries do not hold ("BLOOM" in the OSI's validation). */
  ref: EntryRef | null;
  name: string;
  detail: string;
}

/** A short list built from the structured data, with the rule used to build it. */
export interface ListAnswer extends Credited {
  type: "list";
  question: string;
  rule: string;
  /** The rule in words: "families whose latest release ships its training data". */
  description: string;
  items: ListItem[];
}

/** An honest "I don't know": what was not understood, and entries offered only as suggestions. */
export interface UnknownAnswer {
  type: "unknown";
  question: string;
  reason: "not-covered" | "off-topic" | "unknown-name";
  /** A name in the question that the content does not hold ("falcon"). */
  unknownName: string | null;
  suggestions: EntryLink[];
  /** Where to look instead: the site's home page. */
  siteUrl: string;
}

export interface CompareAnswer {
  type: "compare";
  /** The site's page on what is compared: the families, or the licence tiers. */
  url: string;
  left: FamilyAnswer | LicenceAnswer;
  right: FamilyAnswer | LicenceAnswer;
  /** The releases compared, as asked, when two releases were compared by their licences. */
  asked?: [string, string];
  /** The clause the question asks about ("re: training on outputs"): shown first, in words. */
  focus?: ClauseQuestion;
  /** "Same deal?" or "did the licence change?": answered first, yes or no. */
  asks?: "same" | "changed";
}

export interface HelpAnswer extends Credited {
  type: "help";
  siteName: string;
  siteUrl: string;
  counts: {
    terms: number;
    families: number;
    licences: number;
    models: number;
    sections: number;
  };
  contentDate: string | null;
  registryDate: string | null;
  origin: KnowledgeBase["origin"];
  synced: Knowledge["synced"] | null;
}

/** No single answer: the closest entries to offer ("did you mean"), possibly none. */
export interface NotFoundAnswer {
  type: "not-found";
  query: string;
  /** What was looked for, in words: "licence, family or model". */
  looked: string;
  suggestions: EntryLink[];
}

export type Answer =
  | FitAnswer
  | FitCapacityAnswer
  | HardwareCompareAnswer
  | DeclineAnswer
  | OsaidAnswer
  | ExplainAnswer
  | EntryAnswer
  | AskAnswer
  | ClauseAnswer
  | LicenceOfAnswer
  | ListAnswer
  | UnknownAnswer
  | CompareAnswer
  | HelpAnswer
  | NotFoundAnswer;
