import type { Family, KnowledgeBase, LayerSection, Licence, Model, Term } from "../knowledge/types.ts";
import type { Hit, SearchIndex } from "../search/index.ts";

/** What every answer function reads: the joined knowledge and its index. */
export interface Knowledge {
  kb: KnowledgeBase;
  index: SearchIndex;
}

export interface LicenceAnswer {
  type: "license";
  licence: Licence;
  /** When the user named a model rather than the licence. */
  via: Model | null;
  previous: Licence | null;
  families: Family[];
  models: Model[];
}

export interface LicenceHistoryAnswer {
  type: "license-history";
  family: Family;
  /** Newest first, each with its licence and what changed from the entry after it in the list. */
  entries: {
    version: string;
    released: string | null;
    models: string | null;
    note: string | null;
    licence: Licence;
  }[];
}

export interface FamilyAnswer {
  type: "family";
  family: Family;
  licences: Licence[];
  models: Model[];
}

export interface TermAnswer {
  type: "term";
  term: Term;
  layerTitle: string;
  related: Term[];
}

export interface ModelAnswer {
  type: "model";
  model: Model;
  family: Family | null;
  licences: Licence[];
}

export interface SectionAnswer {
  type: "section";
  section: LayerSection;
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
  seeAlso: Hit[];
}

export interface CompareAnswer {
  type: "compare";
  left: FamilyAnswer | LicenceAnswer;
  right: FamilyAnswer | LicenceAnswer;
}

export interface HelpAnswer {
  type: "help";
  counts: {
    terms: number;
    families: number;
    licences: number;
    models: number;
    sections: number;
  };
  contentDate: string | null;
  origin: KnowledgeBase["origin"];
}

/** No single answer: the closest entries to offer ("did you mean"), possibly none. */
export interface NotFoundAnswer {
  type: "not-found";
  query: string;
  /** What was looked for, in words: "licence, family or model". */
  looked: string;
  suggestions: Hit[];
}

export type Answer = EntryAnswer | AskAnswer | CompareAnswer | HelpAnswer | NotFoundAnswer;
