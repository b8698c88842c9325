import type { ClauseQuestion } from "../content/schemas.ts";
import { canonicalWord, foldText, lookupKey } from "../knowledge/normalize.ts";
import type { Family, KnowledgeBase, Licence, LicenceHistoryEntry, Model } from "../knowledge/types.ts";
import { entryUrl } from "../knowledge/urls.ts";
import { SIZE_TOKEN } from "../search/index.ts";
import type { Polarity } from "../understand/frame.ts";
import type { Situation } from "../understand/situation.ts";
import { type AskerVerdict, type ModelDetail, verdictFor } from "./asker-verdict.ts";
import { siteCredit } from "./site.ts";
import type { ClauseAnswer, ClauseFact, LicenceOfAnswer, Subject, VerdictSpan } from "./types.ts";

/** The licence that decides a question about a subject, and the family and version it came through. */
export interface LicenceTarget {
  licence: Licence;
  family: Family | null;
  /** Set when a family was named without a version: the version answered (its newest). */
  newestOf: string | null;
  /** Set when the question named one of the family's versions ("gemma 2", "qwen2.5-72b"). */
  version?: string;
  /** Sizes the question gives that no release of the family we hold has ("glm-4-9b"). */
  unlisted?: string[];
  /** The registry release answered, when one is: it may carry a use policy of its own. */
  entry?: LicenceHistoryEntry | null;
}

/** Parameter sizes ("9b", "8x7b"), not user counts ("2k", "900m"). */
const PARAMETER_SIZE = /^(?:\d+x)?\d+(?:\.\d+)?b$/;

/**
 * Sizes in the question that none of the family's versions or models has: the question is about a
 * release we do not hold, and the answer must say whose terms it gives instead.
 */
function unlistedSizes(kb: KnowledgeBase, family: Family, question: string): string[] {
  const known = new Set([
    ...family.licenses.flatMap((entry) => versionWords(`${entry.version} ${entry.models ?? ""}`)),
    ...family.modelSlugs.flatMap((slug) => versionWords(kb.models.get(slug)?.displayName ?? "")),
  ]);
  return versionWords(question).filter((word) => PARAMETER_SIZE.test(word) && !known.has(word));
}

/**
 * The version of a family a question names, by the words its version name and model list share
 * with the question ("Qwen2.5-72B" is the "Qwen2.5 72B" entry, "mistral small 2409" the research
 * tier). Sizes count double: they tell versions apart best. Null when no entry is named more than
 * the others, and the newest release answers.
 */
export function versionNamed(family: Family, question: string): LicenceHistoryEntry | null {
  const familyWords = new Set([...versionWords(family.name), ...versionWords(family.id)]);
  // "gemma2" is Gemma 2: a family word with its version stuck on counts as the version.
  const spelled = versionWords(question).flatMap((word) => {
    const stuck = /^([a-z]+)(\d+(?:\.\d+)?)$/.exec(word);
    return stuck && familyWords.has(stuck[1]!) ? [word, stuck[2]!] : [word];
  });
  const asked = new Set(spelled.filter((word) => !familyWords.has(word) && !VERSION_FILLER.has(word)));
  if (asked.size === 0) return null;
  // Ties go to the version whose own name the question covers best ("qwen3" is Qwen3, not
  // Qwen3-Max), then to the newest (entries run newest first).
  let best: { entry: LicenceHistoryEntry; score: number; cover: number } | null = null;
  const questionKey = lookupKey(question);
  for (const entry of family.licenses) {
    const own = new Set(versionWords(`${entry.version} ${entry.models ?? ""}`));
    let score = 0;
    for (const word of asked) if (own.has(word)) score += SIZE_TOKEN.test(word) ? 2 : 1;
    // A model the entry lists, named whole in the question ("glm-4-9b-chat"), settles it.
    if (listedModels(entry).some((model) => questionKey.includes(model))) score += WHOLE_MODEL_NAME;
    if (score === 0) continue;
    const name = versionWords(entry.version).filter((word) => !familyWords.has(word) && !VERSION_FILLER.has(word));
    let cover = name.length ? name.filter((word) => asked.has(word)).length / name.length : 0;
    // A version named by another size than the one asked about ("Qwen2.5 72B" for "qwen2.5-32b") is not it.
    if (
      name.some((word) => SIZE_TOKEN.test(word) && !asked.has(word)) &&
      [...asked].some((word) => SIZE_TOKEN.test(word))
    ) {
      cover -= 1;
    }
    if (!best || score > best.score || (score === best.score && cover > best.cover)) best = { entry, score, cover };
  }
  return best?.entry ?? null;
}

const WHOLE_MODEL_NAME = 4;

/** The model names an entry lists, as lookup keys: "GLM-4-9B, GLM-4-9B-Chat" -> glm49b, glm49bchat. */
function listedModels(entry: LicenceHistoryEntry): string[] {
  return (entry.models ?? "")
    .split(/[,;]|\band\b/)
    .map((item) => lookupKey(item.replace(/\([^)]*\)/g, "")))
    .filter((key) => key.length >= 5);
}

/** Words as version names use them: a size keeps its decimal point ("1.8b" is not "8b"). */
function versionWords(text: string): string[] {
  return (foldText(text).match(/\d+\.\d+[bmkt](?![a-z])|[\p{L}\p{N}]+/gu) ?? []).map(canonicalWord);
}

/** Words in version names that name no version. */
const VERSION_FILLER = new Set(
  [
    "and",
    "the",
    "of",
    "model",
    "models",
    "size",
    "sizes",
    "version",
    "release",
    "releases",
    "instruct",
    "chat",
    "base",
    "its",
    "variant",
    "licence",
    "license",
    "a",
    "for",
    "in",
    "is",
    "to",
    "with",
    "on",
    "under",
    "can",
    "i",
    "use",
  ].map(canonicalWord),
);

/**
 * Where a question about an entry is decided: a licence is itself; a model has its own licence; a
 * family named without a version answers with its newest version's licence.
 */
export function licenceTarget(kb: KnowledgeBase, subject: Subject, question = ""): LicenceTarget | null {
  const { kind, id } = subject.ref;
  if (kind === "license") {
    const licence = kb.licences.get(id);
    if (!licence) return null;
    const family = licence.familyIds.length === 1 ? (kb.families.get(licence.familyIds[0]!) ?? null) : null;
    return { licence, family, newestOf: null };
  }
  if (kind === "model") {
    const model = kb.models.get(id);
    if (!model) return null;
    const family = kb.families.get(model.familyId) ?? null;
    // The registry's per-release facts outrank a data row's licence: a site row for
    // DeepSeek-R1-Distill-Llama-70B may say MIT, but the release carries the Llama 3.3 licence.
    const entry = family ? registryRelease(family, model.displayName) : null;
    const licenceId = entry?.licenseId ?? model.licenceIds[0];
    const licence = licenceId ? kb.licences.get(licenceId) : undefined;
    if (!licence) return null;
    return { licence, family, newestOf: null, entry };
  }
  if (kind === "family") {
    const family = kb.families.get(id);
    // A size no release of ours has ("glm-4-9b") means a release we do not hold: no version matches.
    const unlisted = family && question ? unlistedSizes(kb, family, question) : [];
    const named = family && question && unlisted.length === 0 ? versionNamed(family, question) : null;
    const namedLicence = named ? kb.licences.get(named.licenseId) : undefined;
    if (family && named && namedLicence)
      return { licence: namedLicence, family, newestOf: null, version: named.version, entry: named };
    // A family with weights is asked about its weights: its newest downloadable release, not an API-only one.
    const downloadable = family?.licenses.find((entry) => kb.licences.get(entry.licenseId)?.tier !== "proprietary");
    const newest = family?.tier === "proprietary" ? family.licenses[0] : (downloadable ?? family?.licenses[0]);
    const licence = newest ? kb.licences.get(newest.licenseId) : undefined;
    if (!family || !newest || !licence) return null;
    // A release in the site's data newer than any the registry covers is the newest ("DeepSeek-V4").
    const newer = unlisted.length === 0 ? newerDataModel(kb, family) : null;
    const newerLicence = newer?.licenceIds[0] ? kb.licences.get(newer.licenceIds[0]) : undefined;
    if (newer && newerLicence)
      return { licence: newerLicence, family, newestOf: newer.displayName, unlisted, entry: null };
    const several = new Set(family.licenses.map((entry) => entry.licenseId)).size > 1;
    return {
      licence,
      family,
      newestOf: several || unlisted.length > 0 ? newest.version : null,
      unlisted,
      entry: newest,
    };
  }
  return null;
}

export function clauseFact(licence: Licence, clause: ClauseQuestion): ClauseFact {
  const answer = licence.answers[clause];
  return {
    clause,
    verdict: answer.verdict,
    text: answer.text,
    figure: answer.figure ?? null,
    measuredOn: answer.measured_on ?? null,
    source: answer.source ?? licence.source,
    checked: answer.checked ?? licence.checked,
  };
}

/**
 * How a family's versions differ on one clause, oldest first, consecutive versions with the same
 * verdict grouped: "Llama 2 and 3: no; 3.1 onwards: yes, with conditions". Empty when they agree.
 */
export function verdictSpans(kb: KnowledgeBase, family: Family | null, clause: ClauseQuestion): VerdictSpan[] {
  if (!family) return [];
  const spans: VerdictSpan[] = [];
  for (const entry of [...family.licenses].reverse()) {
    const licence = kb.licences.get(entry.licenseId);
    if (!licence) continue;
    const verdict = licence.answers[clause].verdict;
    const last = spans.at(-1);
    if (last && last.verdict === verdict) last.versions.push(entry.version);
    else spans.push({ versions: [entry.version], verdict, licenceId: licence.id });
  }
  return spans.length > 1 ? spans : [];
}

/** What the question says of the asker, for a verdict computed for them. */
export interface AskerContext {
  polarity: Polarity | null;
  situation: Situation;
  /** Words the question used for the model: sizes and variants ("90b", "vision"). */
  modelWords: string[];
  /** The model trained with this one's outputs, with its licence when we hold it. */
  trainingTarget?: { name: string | null; licenceId: string | null };
}

const NO_CONTEXT: AskerContext = {
  polarity: null,
  situation: { places: [], regions: [], purposes: [], role: null },
  modelWords: [],
};

function targetOf(context: AskerContext): Partial<Pick<ModelDetail, "target">> {
  return context.trainingTarget ? { target: context.trainingTarget } : {};
}

export function clauseAnswer(
  kb: KnowledgeBase,
  question: string,
  subject: Subject,
  clause: ClauseQuestion,
  context: AskerContext = NO_CONTEXT,
): ClauseAnswer | null {
  const found = licenceTarget(kb, subject, question);
  if (!found) return null;
  const target = { ...found, licence: asReleased(found.licence, found.entry) };
  const modelName =
    subject.ref.kind === "model" ? (kb.models.get(subject.ref.id)?.displayName ?? "") : (target.version ?? "");
  const modelWords = [
    ...new Set([
      ...context.modelWords,
      ...foldText(modelName)
        .split(/[^a-z0-9.]+/)
        .filter(Boolean),
    ]),
  ];
  return {
    type: "clause",
    question,
    subject,
    licence: target.licence,
    fact: clauseFact(target.licence, clause),
    asker:
      target.family && subject.ref.kind === "family"
        ? acrossVersions(
            kb,
            siblingEntries(target, question),
            target.family,
            target.licence,
            clause,
            context,
            modelWords,
          )
        : verdictFor(target.licence, clause, context.polarity, context.situation, {
            words: modelWords,
            ...targetOf(context),
          }),
    family: target.family,
    newestOf: target.newestOf,
    version: target.version ?? null,
    unlisted: target.unlisted ?? [],
    spans: subject.ref.kind === "family" ? verdictSpans(kb, target.family, clause) : [],
    url: entryUrl(kb, { kind: "license", id: target.licence.id }),
    credit: siteCredit(kb),
  };
}

export function licenceOfAnswer(
  kb: KnowledgeBase,
  question: string,
  subject: Subject,
  claimedId: string | null = null,
): LicenceOfAnswer | null {
  const target = licenceTarget(kb, subject, question);
  if (!target) return null;
  const otherVersions =
    subject.ref.kind === "family" && target.family
      ? target.family.licenses.flatMap((entry) => {
          const licence = kb.licences.get(entry.licenseId);
          return licence && licence.id !== target.licence.id ? [{ version: entry.version, licence }] : [];
        })
      : [];
  return {
    type: "licence-of",
    question,
    subject,
    licence: target.licence,
    family: target.family,
    newestOf: target.newestOf,
    version: target.version ?? null,
    unlisted: target.unlisted ?? [],
    otherVersions,
    claimed: claimedId ? (kb.licences.get(claimedId) ?? null) : null,
    releaseNote: target.version ? (target.entry?.note ?? null) : null,
    url: entryUrl(kb, { kind: "license", id: target.licence.id }),
    credit: siteCredit(kb),
  };
}

/**
 * A family named without a version, whose versions answer differently for this asker ("can we use
 * qwen commercially at 150M users": Qwen3 yes, Qwen2.5 72B no): the answer depends on the version.
 */
function acrossVersions(
  kb: KnowledgeBase,
  entries: readonly LicenceHistoryEntry[],
  family: Family,
  newest: Licence,
  clause: ClauseQuestion,
  context: AskerContext,
  modelWords: string[],
): AskerVerdict {
  const own = verdictFor(newest, clause, context.polarity, context.situation, {
    words: modelWords,
    ...targetOf(context),
  });
  if (entries.length < 2) return own;
  const byVersion = entries.flatMap((entry) => {
    const licence = kb.licences.get(entry.licenseId);
    // API-only terms of a family with weights are not what a question about the weights means,
    // and a distill on another family's base is not what a question about the family means.
    const api = licence?.tier === "proprietary";
    // A closed family ("chatgpt") is asked about its service, not its one open-weight release.
    if (!licence || entry.base || api !== (family.tier === "proprietary")) return [];
    const verdict = verdictFor(licence, clause, context.polarity, context.situation, {
      words: modelWords,
      ...targetOf(context),
    });
    return verdict.reading === "not-settled" ? [] : [{ version: entry.version, verdict, licence }];
  });
  // Only a flip matters: "yes" here and "no" there. "Yes" and "yes, unless" start alike.
  const readings = new Set(byVersion.map((item) => (item.verdict.reading === "no" ? "no" : "yes")));
  if (readings.size <= 1) return own;
  const lines = byVersion.slice(0, 5).map((item) => {
    const figure = item.licence.answers[clause].figure;
    return `${item.version}: ${item.verdict.words.toLowerCase()}${figure && item.verdict.reading !== "yes" ? ` (${figure})` : ""}`;
  });
  return {
    polarity: own.polarity,
    reading: "yes-unless",
    words: "It depends on the version",
    because: lines.join(" · "),
    mark: "warn",
  };
}

/**
 * The releases a family question could mean: all of them when no version is named; the entries of
 * the named generation when it is named without a size ("qwen2.5": most sizes, 72B and 3B differ).
 */
function siblingEntries(target: LicenceTarget, question: string): readonly LicenceHistoryEntry[] {
  const family = target.family;
  if (!family) return [];
  if (!target.version) return family.licenses;
  if (versionWords(question).some((word) => PARAMETER_SIZE.test(word))) return [];
  const generation = versionWords(target.version).slice(0, 2).join(" ");
  return family.licenses.filter((entry) => versionWords(entry.version).slice(0, 2).join(" ") === generation);
}

/**
 * The registry release a model's name names by size or by its whole name ("Qwen2.5-3B-Instruct"
 * is the Qwen2.5 3B entry), or null when the name only shares a family word with the entries.
 */
export function registryRelease(family: Family, modelName: string): LicenceHistoryEntry | null {
  if (!family.inRegistry) return null;
  const entry = versionNamed(family, modelName);
  if (!entry) return null;
  const key = lookupKey(modelName);
  const sizes = versionWords(modelName).filter((word) => PARAMETER_SIZE.test(word));
  const own = new Set(versionWords(`${entry.version} ${entry.models ?? ""}`));
  const bySize = sizes.length > 0 && sizes.every((size) => own.has(size));
  const byName = listedModels(entry).some((model) => key.startsWith(model));
  return bySize || byName ? entry : null;
}

/** A knowledge base never changes once built (a reload builds a new one): one answer per family. */
const newerByFamily = new WeakMap<Family, Model | null>();

/** The newest model of a family in the data, when it is newer than every release the registry covers. */
function newerDataModel(kb: KnowledgeBase, family: Family): Model | null {
  if (!newerByFamily.has(family)) newerByFamily.set(family, findNewerDataModel(kb, family));
  return newerByFamily.get(family) ?? null;
}

function findNewerDataModel(kb: KnowledgeBase, family: Family): Model | null {
  const dated = family.licenses.map((entry) => entry.released).filter((date): date is string => Boolean(date));
  const models = family.modelSlugs.flatMap((slug) => {
    const model = kb.models.get(slug);
    return model?.releasedDate && model.openness !== "proprietary"
      ? [{ model, date: model.releasedDate, covered: registryRelease(family, model.displayName) !== null }]
      : [];
  });
  const registryNewest = [...dated, ...models.filter((each) => each.covered).map((each) => each.date)].sort().at(-1);
  if (!registryNewest) return null;
  const newest = models
    .filter((each) => !each.covered && each.date > registryNewest)
    .sort((a, b) => b.date.localeCompare(a.date))[0];
  return newest?.model ?? null;
}

/** A licence as one release answers it: a release's own use policy replaces the licence's answer. */
export function asReleased(licence: Licence, entry: LicenceHistoryEntry | null | undefined): Licence {
  if (!entry?.usagePolicy) return licence;
  const { text, source, checked } = entry.usagePolicy;
  return {
    ...licence,
    answers: { ...licence.answers, "acceptable-use": { verdict: "yes", text, source, checked, condition: null } },
  };
}
