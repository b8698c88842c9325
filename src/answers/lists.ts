import type { ClauseKind, ClauseQuestion, Verdict } from "../content/schemas.ts";
import { foldText } from "../knowledge/normalize.ts";
import { placeName } from "../knowledge/place-name.ts";
import { familyTierSummary } from "../knowledge/tiers.ts";
import type { Family, KnowledgeBase, Licence, Model, OpennessAspect } from "../knowledge/types.ts";
import { vocabulary } from "../understand/vocabulary.ts";
import { siteCredit } from "./site.ts";
import type { ListAnswer, ListItem } from "./types.ts";

/** One way to build a list from the structured data: its cue in a question, and the rule in words. */
interface ListRule {
  /** The rule a `list-rule` cue means (content/cues/list-rules.yaml). */
  id: string;
  description: string;
  build(kb: KnowledgeBase, question: string): ListItem[];
}

const familyItem = (family: Family, detail: string): ListItem => ({
  ref: { kind: "family", id: family.id },
  name: family.name,
  detail,
});

const licenceItem = (licence: Licence, detail: string): ListItem => ({
  ref: { kind: "license", id: licence.id },
  name: licence.short_name ?? licence.name,
  detail,
});

const modelItem = (model: Model, detail: string): ListItem => ({
  ref: { kind: "model", id: model.slug },
  name: model.displayName,
  detail,
});

function familiesReleasing(aspect: OpennessAspect, what: string) {
  return (kb: KnowledgeBase) =>
    [...kb.families.values()]
      .filter((family) => family.openness?.[aspect] === "yes")
      .map((family) => familyItem(family, `${family.lab ?? "unknown lab"}: ${what}`));
}

/**
 * Licences passing a test, each with its clause in a sentence; "non-commercial models" asks for
 * models, so each licence then shows the releases under it.
 */
function licencesWhere(test: (licence: Licence) => boolean, clause: ClauseQuestion) {
  return (kb: KnowledgeBase, question: string) =>
    [...kb.licences.values()].filter(test).map((licence) => {
      const releases = asksForModels(question) ? releasesUnder(kb, licence) : [];
      return licenceItem(
        licence,
        releases.length ? `${releases.join(", ")}` : firstSentence(licence.answers[clause].text),
      );
    });
}

function asksForModels(question: string): boolean {
  const text = foldText(question);
  return /\b(?:models?|weights|releases?|llms?)\b/.test(text) && !/\blicen[cs]es?\b/.test(text);
}

/** The registry releases a licence covers, by the names the families give them. */
function releasesUnder(kb: KnowledgeBase, licence: Licence): string[] {
  return [...kb.families.values()].flatMap((family) =>
    family.licenses.filter((entry) => entry.licenseId === licence.id).map((entry) => entry.version),
  );
}

const verdictIs =
  (clause: ClauseQuestion, ...verdicts: Verdict[]) =>
  (licence: Licence) =>
    verdicts.includes(licence.answers[clause].verdict);

function familiesFrom(pattern: RegExp) {
  return (kb: KnowledgeBase) =>
    [...kb.families.values()]
      .filter((family) => family.country && pattern.test(foldText(family.country)))
      .map((family) => familyItem(family, `${family.lab ?? "unknown lab"}, ${family.country}`));
}

function familiesOfTier(tier: string) {
  return (kb: KnowledgeBase) =>
    [...kb.families.values()]
      .filter((family) => familyTierSummary(family, kb.licences).tiers.includes(tier as never))
      .map((family) => {
        const summary = familyTierSummary(family, kb.licences);
        return familyItem(family, summary.mixed ? "some versions (mixed family)" : "all versions");
      });
}

/** The lists built from the registries; which one a question asks for is cue data (list-rules.yaml). */
export const LIST_RULES: readonly ListRule[] = [
  {
    id: "osaid-passed",
    description: "systems that passed the OSI's validation against the Open Source AI Definition",
    build: (kb) => validated(kb, "passed"),
  },
  {
    id: "osaid-licence-change",
    description: "systems the OSI said would pass its Open Source AI Definition with a licence change",
    build: (kb) => validated(kb, "licence-change"),
  },
  {
    id: "osaid-failed",
    description: "systems that did not pass the OSI's validation against the Open Source AI Definition",
    build: (kb) => validated(kb, "failed"),
  },
  {
    id: "fully-open",
    description: "families that release weights, training data and training code",
    build: (kb) =>
      [...kb.families.values()]
        .filter(
          (family) =>
            family.openness?.weights === "yes" &&
            family.openness.data === "yes" &&
            family.openness.training_code === "yes",
        )
        .map((family) => familyItem(family, `${family.lab ?? "unknown lab"}: weights, data and training code`)),
  },
  {
    id: "commercial-no-cap",
    description: "licences that allow commercial use with no user or revenue cap",
    build: licencesWhere(
      (licence) => licence.answers["commercial-use"].verdict === "yes" && licence.answers["user-cap"].verdict === "yes",
      "user-cap",
    ),
  },
  {
    id: "non-commercial",
    description: "licences that do not allow commercial use",
    build: licencesWhere(verdictIs("commercial-use", "no"), "commercial-use"),
  },
  {
    id: "no-training-other-models",
    description: "licences that forbid using the model or its outputs to train or improve other models",
    build: licencesWhere(verdictIs("train-other-models", "no"), "train-other-models"),
  },
  {
    id: "naming-duty",
    description: "licences that require a credit line or a name for what you build",
    build: licencesWhere(verdictIs("naming-attribution", "yes", "conditional"), "naming-attribution"),
  },
  {
    id: "user-cap",
    description: "licences with a user or revenue threshold",
    // A cap is a figure: CC BY-NC has none (it bans commercial use outright), so it is not listed.
    build: licencesWhere(
      (licence) =>
        verdictIs("user-cap", "conditional", "no")(licence) &&
        Boolean(licence.answers["user-cap"].figure ?? licence.answers["user-cap"].condition?.users_over),
      "user-cap",
    ),
  },
  {
    id: "regional-limits",
    description: "licences or terms that exclude some places or people",
    build: licencesWhere(verdictIs("regional-limits", "yes", "conditional"), "regional-limits"),
  },
  {
    id: "osi-approved",
    description: "OSI-approved open-source licences",
    build: licencesWhere(verdictIs("osi-approved", "yes"), "osi-approved"),
  },
  {
    id: "releases-data",
    description: "families whose releases include their training data",
    build: familiesReleasing("data", "training data released"),
  },
  {
    id: "releases-logs",
    description: "families that publish training logs or intermediate checkpoints",
    build: familiesReleasing("logs", "training logs released"),
  },
  {
    id: "releases-training-code",
    description: "families whose releases include their training code",
    build: familiesReleasing("training_code", "training code released"),
  },
  {
    id: "closed-weights",
    description: "families that release no weights (reached through an API only)",
    build: (kb) =>
      [...kb.families.values()]
        .filter((family) => family.openness?.weights === "no")
        .map((family) => familyItem(family, `${family.lab ?? "unknown lab"}: no weights`)),
  },
  {
    id: "moe",
    description: "models in the data with a mixture-of-experts architecture",
    build: (kb) =>
      [...kb.models.values()]
        .filter((model) => model.architecture?.toLowerCase() === "moe")
        .map((model) =>
          modelItem(
            model,
            [
              model.paramsTotal !== null ? `${billions(model.paramsTotal)}B total` : null,
              model.paramsActive !== null ? `${billions(model.paramsActive)}B active` : null,
            ]
              .filter(Boolean)
              .join(", ") || "size not disclosed",
          ),
        ),
  },
  {
    id: "from-china",
    description: "families from labs based in China",
    build: familiesFrom(/china/),
  },
  {
    id: "from-us",
    description: "families from labs based in the United States",
    build: familiesFrom(/united states/),
  },
  {
    id: "from-europe",
    description: "families from labs based in Europe",
    build: familiesFrom(/france|germany|europe|united kingdom/),
  },
  {
    id: "tier-proprietary",
    description: "families with versions under proprietary terms",
    build: familiesOfTier("proprietary"),
  },
  {
    id: "tier-source-available",
    description: "families with versions under source-available licences with use restrictions",
    build: familiesOfTier("source-available"),
  },
  {
    id: "tier-open",
    description: "families with versions under open licences (such as Apache-2.0 or MIT)",
    build: familiesOfTier("open"),
  },
];

/**
 * "which models use the Llama 3.1 licence": every model the data lists under one licence; with a
 * family named ("which mistral models are apache"), that family's models only.
 */
export function modelsUnder(
  kb: KnowledgeBase,
  licence: Licence,
  question: string,
  familyId: string | null = null,
  places: readonly string[] = [],
): ListAnswer {
  const family = familyId ? kb.families.get(familyId) : undefined;
  const name = licence.short_name ?? licence.name;
  return {
    type: "list",
    question,
    credit: siteCredit(kb),
    rule: `under:${licence.id}`,
    description: `${family ? `${family.name} models` : "models"} in the data released under ${name}${placesWords(places)}`,
    items: underLicence(kb, licence, family ?? null, places),
  };
}

/** "Which qwen models are not apache?": a family's releases by version, each with its licence and tier. */
export function familyVersionsList(
  kb: KnowledgeBase,
  family: Family,
  question: string,
  others: readonly Family[] = [],
): ListAnswer {
  const families = [family, ...others];
  // "Which open-weight models have OpenAI and xAI put out?": downloadable releases only.
  const openOnly = /\bopen[- ]?(?:weights?|source|models?)\b|\bdownloadable\b|\bweights\b/.test(foldText(question));
  return {
    type: "list",
    question,
    credit: siteCredit(kb),
    rule: `versions:${families.map((each) => each.id).join("+")}`,
    description: `${families.map((each) => each.name).join(" and ")} ${openOnly ? "open-weight releases" : "releases by version"}, with their licences`,
    items: families
      .flatMap((each) => each.licenses)
      .flatMap((entry) => {
        const licence = kb.licences.get(entry.licenseId);
        if (!licence || (openOnly && licence.tier === "proprietary")) return [];
        const detail = `${licence.short_name ?? licence.name} (${TIER_WORDS[licence.tier]})${entry.models ? `: ${entry.models}` : ""}`;
        return [{ ref: { kind: "license" as const, id: licence.id }, name: entry.version, detail }];
      }),
  };
}

const TIER_WORDS: Record<Licence["tier"], string> = {
  open: "open",
  "open-with-condition": "open, with a condition",
  "source-available": "source-available",
  proprietary: "proprietary",
};

/** The list a question asks for, by the first rule whose cue it carries; null when none fits. */
export function answerList(kb: KnowledgeBase, question: string): ListAnswer | null {
  const ruleId = vocabulary().first("list-rule", question);
  const rule = LIST_RULES.find((candidate) => candidate.id === ruleId);
  if (rule) {
    return {
      type: "list",
      question,
      rule: rule.id,
      description: rule.description,
      items: rule.build(kb, question),
      credit: siteCredit(kb),
    };
  }
  // Then the licences' recorded clause kinds ("restrict your usage remotely").
  const byClause = vocabulary().first("list", question);
  return byClause?.startsWith("clause:")
    ? licencesWithClause(kb, byClause.slice("clause:".length) as ClauseKind, question)
    : null;
}

export function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(?:\s|$)/.exec(text);
  return match?.[1] ?? text;
}

/** A count of parameters in billions, as lists give sizes. */
function billions(parameters: number): number {
  return Number((parameters / 1e9).toFixed(1));
}

/** A licence and the licences that adapt it (BigCode OpenRAIL-M for OpenRAIL-M). */

function placesWords(places: readonly string[]): string {
  return places.length ? `, from labs in ${places.map((code) => placeName(code)).join(" or ")}` : "";
}

/**
 * "Chinese labs", "US companies": whether a lab's country is one the question names (ISO codes from
 * the frame); every lab when it names none.
 */
function fromPlaces(places: readonly string[]): (country: string | null | undefined) => boolean {
  const names = places.map((code) => placeName(code));
  return (country) =>
    names.length === 0 || (country !== null && country !== undefined && names.some((name) => country.includes(name)));
}

function withVariants(kb: KnowledgeBase, licence: Licence): Licence[] {
  return [licence, ...[...kb.licences.values()].filter((other) => other.variant_of === licence.id)];
}

/**
 * Models under a licence or one of its variants (StarCoder under BigCode's OpenRAIL-M is under
 * OpenRAIL-M); where the data holds none, the registry releases under it.
 */
function underLicence(
  kb: KnowledgeBase,
  licence: Licence,
  family: Family | null,
  places: readonly string[] = [],
): ListItem[] {
  const licences = withVariants(kb, licence);
  const inPlace = fromPlaces(places);
  const models = licences.flatMap((each) =>
    each.modelSlugs.flatMap((slug) => {
      const model = kb.models.get(slug);
      if (!model || (family && model.familyId !== family.id)) return [];
      if (!inPlace(model.country ?? kb.families.get(model.familyId)?.country)) return [];
      const variant = each.id === licence.id ? "" : ` (${each.short_name ?? each.name})`;
      return [modelItem(model, `${model.developer}${model.releasedDate ? `, ${model.releasedDate}` : ""}${variant}`)];
    }),
  );
  if (models.length > 0) return models;
  const ids = new Set(licences.map((each) => each.id));
  return [...kb.families.values()].flatMap((each) => {
    if ((family && each.id !== family.id) || !inPlace(each.country)) return [];
    const entries = each.licenses.filter((entry) => ids.has(entry.licenseId));
    return entries.length ? [familyItem(each, entries.map((entry) => entry.version).join(", "))] : [];
  });
}

/** Families with a release under a licence (or its variants), or, negated, families with weights and none. */
export function familiesUnder(
  kb: KnowledgeBase,
  licence: Licence,
  question: string,
  negated: boolean,
  places: readonly string[] = [],
): ListAnswer {
  const ids = new Set(withVariants(kb, licence).map((each) => each.id));
  const name = licence.short_name ?? licence.name;
  const inPlace = fromPlaces(places);
  const items = [...kb.families.values()].flatMap((family) => {
    if (!family.inRegistry || !inPlace(family.country)) return [];
    const under = family.licenses.filter((entry) => ids.has(entry.licenseId) && !entry.base);
    if (negated) {
      const weights = family.licenses.filter((entry) => kb.licences.get(entry.licenseId)?.tier !== "proprietary");
      if (under.length > 0 || weights.length === 0) return [];
      const current = kb.licences.get(weights[0]!.licenseId);
      return [
        {
          count: 0,
          item: familyItem(family, `${weights[0]!.version}: ${current?.short_name ?? current?.name ?? "unknown"}`),
        },
      ];
    }
    return under.length
      ? [{ count: under.length, item: familyItem(family, under.map((entry) => entry.version).join(", ")) }]
      : [];
  });
  return {
    type: "list",
    question,
    credit: siteCredit(kb),
    rule: `${negated ? "families-not-under" : "families-under"}:${licence.id}`,
    description: `${negated ? `families with open weights and no release under ${name}` : `families with releases under ${name}`}${placesWords(places)}`,
    // Families with the most releases under it first: the first screen shows eight.
    items: items.sort((x, y) => y.count - x.count).map(({ item }) => item),
  };
}

/** Licences whose use policy bans a use ("military"), from their recorded conditions. */
export function licencesBanning(kb: KnowledgeBase, uses: readonly string[], question: string): ListAnswer {
  return {
    type: "list",
    question,
    credit: siteCredit(kb),
    rule: `bans:${uses.join("+")}`,
    description: `licences whose use policy bans ${uses.join(" or ")} use`,
    items: [...kb.licences.values()]
      .filter((licence) => licence.answers["acceptable-use"].condition?.bans?.some((use) => uses.includes(use)))
      .map((licence) => licenceItem(licence, firstSentence(licence.answers["acceptable-use"].text))),
  };
}

const CLAUSE_KIND_WORDS: Record<ClauseKind, string> = {
  "user-cap": "a user cap",
  "revenue-cap": "a revenue threshold",
  "acceptable-use-policy": "a use policy",
  "attribution-display": "a credit line to show",
  "derivative-naming": "a naming rule for derivatives",
  "no-training-other-models": "a ban on improving other models",
  "non-commercial": "a non-commercial limit",
  "non-production": "a non-production limit",
  "pass-through-restrictions": "restrictions you must pass downstream",
  "remote-restriction": "remote restriction by the licensor",
  revocation: "revocation",
  "region-exclusion": "an excluded region",
  "policy-may-change": "a use policy the licensor may change",
  "notice-file": "a notice file to ship",
};

/** Licences whose recorded clauses include one kind ("remote restriction"), with that clause's words. */
export function licencesWithClause(kb: KnowledgeBase, kind: ClauseKind, question: string): ListAnswer {
  return {
    type: "list",
    question,
    credit: siteCredit(kb),
    rule: `clause:${kind}`,
    description: `licences with ${CLAUSE_KIND_WORDS[kind]}`,
    items: [...kb.licences.values()].flatMap((licence) => {
      const clause = licence.clauses.find((each) => each.kind === kind);
      return clause ? [licenceItem(licence, firstSentence(clause.text))] : [];
    }),
  };
}

/** The OSI's own validation results of one verdict, each opening its family where we hold it. */
function validated(kb: KnowledgeBase, verdict: "passed" | "licence-change" | "failed"): ListItem[] {
  const validation = kb.osaid?.validation;
  if (!validation) return [];
  return validation.results
    .filter((result) => result.verdict === verdict)
    .map((result) => ({
      ref: result.family && kb.families.has(result.family) ? { kind: "family" as const, id: result.family } : null,
      name: result.name,
      detail: `the OSI's ${validation.year} validation (${validation.source.title})`,
    }));
}
