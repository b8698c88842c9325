import type { ClauseCondition, ClauseQuestion, Verdict } from "../content/schemas.ts";
import { placeName } from "../knowledge/place-name.ts";
import type { Licence } from "../knowledge/types.ts";
import type { Polarity } from "../understand/frame.ts";
import type { Situation } from "../understand/situation.ts";
import { DUTY_CLAUSES } from "./verdicts.ts";

/** Purposes as the reply says them ("you said critical-infrastructure use" reads as a slug). */
const PURPOSE_WORDS: Readonly<Record<string, string>> = {
  "critical-infrastructure": "critical-infrastructure",
  "automated-decisions": "fully automated decision-making",
  sexual: "sexual-content",
  "covert-tracking": "covert (without consent) tracking",
};
/**
 * The verdict for the person asking, not for the clause: "may I" gets allowed or not, "must I" gets
 * a duty or none, "is there" gets the rule or none. Computed from the clause's verdict, the
 * structured conditions of the licence and what the question says of the asker.
 */
export type Reading = "yes" | "yes-unless" | "no" | "only-if" | "not-settled";

export interface AskerVerdict {
  polarity: Polarity;
  reading: Reading;
  /** The first words, which answer the question as asked and cannot be misread. */
  words: string;
  /** Why, in one clause; null when the clause text says it all. */
  because: string | null;
  /** Good news, a condition, or bad news for the asker: the mark beside the words. */
  mark: "ok" | "warn" | "stop";
}

/** What the asker named of the model: sizes and variant words ("90b", "vision"), and its name. */
export interface ModelDetail {
  words: string[];
  /** The model trained or improved with this one's outputs, and the licence it carries, when named. */
  target?: { name: string | null; licenceId: string | null };
  /** The licence being checked, filled in by `verdictFor`. */
  licenceId?: string;
}

/** Clauses whose "yes" is a duty or a limit rather than a permission; a user cap limits too. */
const DUTIES: ReadonlySet<ClauseQuestion> = new Set([...DUTY_CLAUSES, "user-cap"]);
/** Rules elsewhere in a licence that can take a permission away from one asker. */
const DENYING: readonly ClauseQuestion[] = ["user-cap", "regional-limits", "acceptable-use"];

type Coverage = "covered" | "not-covered" | "unknown";

interface Check {
  coverage: Coverage;
  /** What the asker said that decided it. */
  said: string | null;
}

const fmt = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const money = (value: number) => `US$${fmt.format(value)}`;

/** Whether a condition covers the asker, from what the question says. */
export function covers(
  condition: ClauseCondition,
  situation: Situation,
  model: ModelDetail,
  measuredOn: string | null = null,
): Check {
  if (condition.exempt.includes("end-user") && situation.role === "end-user")
    return { coverage: "not-covered", said: "you are an end user" };
  // A step everyone takes first covers everyone who uses the permission.
  if (condition.requires) return { coverage: "covered", said: null };
  const checks: Check[] = [];
  if (condition.users_over !== undefined || condition.revenue_over_per_month !== undefined) {
    // A cap counted on a release date is checked against the users the asker had then, when given.
    const atRelease = measuredOn !== null && situation.usersAtRelease !== undefined;
    const users = atRelease ? situation.usersAtRelease : (situation.users ?? situation.usersAtRelease);
    const over =
      (condition.users_over !== undefined && users !== undefined && users > condition.users_over) ||
      (condition.revenue_over_per_month !== undefined &&
        situation.revenuePerMonth !== undefined &&
        situation.revenuePerMonth > condition.revenue_over_per_month);
    const said = [
      users !== undefined ? `about ${fmt.format(users)} users${atRelease ? " on its release date" : ""}` : null,
      situation.revenuePerMonth !== undefined ? `about ${money(situation.revenuePerMonth)} a month` : null,
    ]
      .filter(Boolean)
      .join(" and ");
    const anyGiven = users !== undefined || situation.revenuePerMonth !== undefined;
    checks.push({ coverage: over ? "covered" : anyGiven ? "not-covered" : "unknown", said: said || null });
  }
  if (condition.regions) {
    const inside = condition.regions.some(
      (region) => situation.regions.includes(region) || situation.places.includes(region),
    );
    const places = situation.places.map(placeName).join(", ");
    const regions = situation.regions.filter((region) => condition.regions!.includes(region));
    checks.push({
      coverage: situation.places.length === 0 ? "unknown" : inside ? "covered" : "not-covered",
      said: places
        ? `${places}${regions.length ? `, in the ${regions.join(" and ")}` : inside ? "" : `, outside the ${condition.regions.join(" and ")}`}`
        : null,
    });
  }
  if (condition.models) {
    // Sizes and modalities say which model; a version number ("3.2") does not.
    const named = model.words.filter((word) => /^\d+(?:\.\d+)?[bm]$|^(?:vision|multimodal|text|vl)$/.test(word));
    const matches = condition.models.some((word) => model.words.includes(word.toLowerCase()));
    checks.push({
      coverage: matches ? "covered" : named.length ? "not-covered" : "unknown",
      said: named.length
        ? named
            .join(" ")
            .toUpperCase()
            .replace(/VISION/, "Vision")
        : null,
    });
  }
  if (condition.bans) {
    const banned = situation.purposes.filter((purpose) => condition.bans!.includes(purpose));
    checks.push({
      coverage: banned.length ? "covered" : "unknown",
      said: banned.length ? `${banned.map((purpose) => PURPOSE_WORDS[purpose] ?? purpose).join(" and ")} use` : null,
    });
  }
  if (condition.except_own_models) {
    const { target } = model;
    const own = target?.licenceId != null && target.licenceId === model.licenceId;
    checks.push({
      coverage: !target ? "unknown" : own ? "not-covered" : "covered",
      said: target?.name ? `the model you improve is ${target.name}${own ? ", itself under this licence" : ""}` : null,
    });
  }
  if (condition.when_sharing) {
    const sharing = situation.purposes.includes("share");
    const internal = situation.purposes.includes("internal");
    checks.push({
      coverage: sharing ? "covered" : internal ? "not-covered" : "unknown",
      said: sharing ? "sharing it" : internal ? "internal use only" : null,
    });
  }
  const not = checks.find((check) => check.coverage === "not-covered");
  if (not) return not;
  if (checks.length > 0 && checks.every((check) => check.coverage === "covered"))
    return {
      coverage: "covered",
      said:
        checks
          .map((check) => check.said)
          .filter(Boolean)
          .join("; ") || null,
    };
  return { coverage: "unknown", said: null };
}

function ruleExists(
  clause: ClauseQuestion,
  verdict: Verdict,
  condition: ClauseCondition | null = null,
): boolean | null {
  // An unconfirmed rule with a recorded condition ("reportedly 100M MAU") is treated as binding.
  if (verdict === "unconfirmed" && condition) return true;
  if (verdict === "unconfirmed" || verdict === "not-addressed") return null;
  if (clause === "user-cap") return verdict !== "yes";
  return DUTIES.has(clause) ? verdict !== "no" : verdict !== "yes";
}

/** A name as the prefix check reads it: case, spaces and separators aside ("Llama-3" is "llama 3"). */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]+/g, "");
}

/** The polarity a clause is asked in when the wording gives none. */
export function defaultPolarity(clause: ClauseQuestion): Polarity {
  return DUTIES.has(clause) && clause !== "user-cap" ? "is-there" : "may";
}

export function verdictFor(
  licence: Licence,
  clause: ClauseQuestion,
  asked: Polarity | null,
  situation: Situation,
  model: ModelDetail,
): AskerVerdict {
  // "Does it forbid X?" is "may I X?" turned round: its yes is the may-question's no.
  if (asked === "forbids") return forbidding(verdictFor(licence, clause, "may", situation, model));
  const answer = licence.answers[clause];
  const polarity = asked ?? defaultPolarity(clause);
  const condition = answer.condition ?? null;
  const exists = ruleExists(clause, answer.verdict, condition);
  const check = condition
    ? covers(condition, situation, { ...model, licenceId: licence.id }, answer.measured_on ?? null)
    : null;
  const said = check?.said ? `: you said ${check.said}` : "";

  // "Can we release our fine-tune under Apache?": only an open licence lets a derivative change terms.
  if (polarity === "may" && situation.purposes.includes("relicense") && clause !== "osi-approved") {
    return licence.tier === "open"
      ? {
          polarity,
          reading: "yes",
          words: "Yes",
          because: `${licence.short_name ?? licence.name} lets you license your own changes as you like, as long as the original notices stay`,
          mark: "ok",
        }
      : {
          polarity,
          reading: "no",
          words: "No",
          because: `a derivative stays bound by ${licence.short_name ?? licence.name}, so you cannot release it under another licence`,
          mark: "stop",
        };
  }
  // "Am I allowed to use Command R for my unpaid thesis?": a non-commercial licence allows it.
  const research =
    (situation.purposes.includes("research") || situation.purposes.includes("non-commercial")) &&
    !situation.purposes.includes("commercial");
  if (
    polarity === "may" &&
    research &&
    clause === "commercial-use" &&
    licence.answers["commercial-use"].verdict === "no"
  ) {
    return {
      polarity,
      reading: "yes",
      words: "Yes",
      because: "non-commercial research is allowed; what the licence forbids is commercial use",
      mark: "ok",
    };
  }
  // A business asking to use a licence that allows no commercial use at all, internal use included.
  const business = situation.purposes.includes("commercial") || situation.role === "company";
  if (
    polarity === "may" &&
    business &&
    clause !== "osi-approved" &&
    licence.answers["commercial-use"].verdict === "no" &&
    !research
  ) {
    return {
      polarity,
      reading: "no",
      words: "No",
      because: "the licence allows no commercial use, and business use counts even when it stays internal",
      mark: "stop",
    };
  }
  // Facts, not rules: "is it OSI-approved" is answered the same however it is asked.
  if (clause === "osi-approved")
    return plain("may", answer.verdict === "yes" ? "yes" : exists === null ? "not-settled" : "no", null);
  if (exists === null) {
    // Unsettled in itself, but another rule shuts this asker out: "Zurich, on the Gemini free tier".
    const denial = polarity === "may" ? denyingRules(licence, situation, model).covered : null;
    return denial
      ? { polarity, reading: "no", words: "No", because: denial, mark: "stop" }
      : plain(polarity, "not-settled", null);
  }
  // A precondition binds everyone who uses the permission: "must we register?" is a yes.
  if (condition?.requires && polarity !== "is-there" && !DUTIES.has(clause)) {
    const denial = denyingRules(licence, situation, model);
    if (polarity === "may" && denial.covered)
      return { polarity, reading: "no", words: "No", because: denial.covered, mark: "stop" };
    // "Commercially, without registering anywhere?": the step everyone takes is the one skipped.
    if (polarity === "may" && situation.purposes.includes("skip-step"))
      return { polarity, reading: "no", words: "No", because: `not without it: ${condition.result}`, mark: "stop" };
    return {
      polarity,
      reading: "yes",
      words: "Yes",
      because: polarity === "must" ? condition.result : `once you do this: ${condition.result}`,
      mark: polarity === "must" ? "warn" : "ok",
    };
  }

  // "Release it as 'SupportBot-9B'?": a name the licence requires to begin a certain way, checked.
  if (clause === "naming-attribution" && condition?.name_prefix && situation.proposedName && polarity !== "is-there") {
    const fits = nameKey(situation.proposedName).startsWith(nameKey(condition.name_prefix));
    const prefix = `"${condition.name_prefix}"`;
    return fits
      ? {
          polarity,
          reading: "yes",
          words: polarity === "must" ? "No" : "Yes",
          because: `"${situation.proposedName}" begins with ${prefix} as the licence requires; ${condition.result}`,
          mark: "ok",
        }
      : {
          polarity,
          reading: polarity === "must" ? "yes" : "no",
          words: polarity === "must" ? "Yes" : "No",
          because: `a shared derivative's name must begin with ${prefix}, and "${situation.proposedName}" does not`,
          mark: polarity === "must" ? "warn" : "stop",
        };
  }

  if (polarity === "is-there") {
    if (!exists) return plain(polarity, "no", null);
    const applies =
      check?.coverage === "covered"
        ? ` and it covers you${said}`
        : check?.coverage === "not-covered"
          ? `, but it does not cover you${said}`
          : "";
    return {
      polarity,
      reading: "yes",
      words: "Yes, there is",
      because: condition ? `${condition.result} if ${condition.if}${applies}` : null,
      mark: check?.coverage === "not-covered" ? "ok" : "warn",
    };
  }

  if (DUTIES.has(clause)) {
    // A may-question about a limit ("can we use it in the EU") is allowed unless the limit covers them.
    if (polarity === "may") {
      if (!exists) return plain(polarity, "yes", null);
      if (!condition)
        return { polarity, reading: "yes-unless", words: "Yes, within this rule", because: null, mark: "warn" };
      // A threshold that brings a duty (Kimi K2's display rule) allows the use, with the duty.
      if (condition.duty)
        return {
          polarity,
          reading: "yes",
          words: "Yes",
          because:
            check!.coverage === "covered"
              ? `but ${condition.result}${said}`
              : `and if ${condition.if}, ${condition.result}`,
          mark: "ok",
        };
      if (check!.coverage === "covered")
        return { polarity, reading: "no", words: "No", because: `${condition.result}${said}`, mark: "stop" };
      if (check!.coverage === "not-covered")
        return {
          polarity,
          reading: "yes",
          words: "Yes",
          because: `the rule applies only if ${condition.if}${said}`,
          mark: "ok",
        };
      return {
        polarity,
        reading: "yes-unless",
        words: "Yes, unless",
        because: `${condition.if}: then ${condition.result}`,
        mark: "warn",
      };
    }
    // must
    if (!exists) return plain(polarity, "no", null);
    if (clause === "acceptable-use")
      return {
        polarity,
        reading: "yes",
        words: "Yes",
        because: "the use policy binds every use of the model, internal use included",
        mark: "warn",
      };
    if (!condition) return { polarity, reading: "yes", words: "Yes", because: null, mark: "warn" };
    if (check!.coverage === "covered")
      return { polarity, reading: "yes", words: "Yes", because: `${condition.result}${said}`, mark: "warn" };
    if (check!.coverage === "not-covered")
      return {
        polarity,
        reading: "no",
        words: "No",
        because: `that applies only if ${condition.if}${said}`,
        mark: "ok",
      };
    // "Do I need the 'Built with Llama' line?": a duty of anything shared, a product included, so
    // yes for nearly everyone; only what stays in-house is spared.
    if (condition.when_sharing)
      return {
        polarity,
        reading: "yes-unless",
        words: "Yes, unless",
        because: `you share nothing (no model, derivative, product or service using it): if ${condition.if}, ${condition.result}`,
        mark: "warn",
      };
    return {
      polarity,
      reading: "only-if",
      words: "Only if",
      because: `${condition.if}: then ${condition.result}`,
      mark: "warn",
    };
  }

  // A permission: "must I" asks whether it is withheld ("do we need a licence from Meta first?").
  if (polarity === "must") {
    if (clause === "redistribute") return copyleft(licence);
    if (answer.verdict === "no") return plain(polarity, "yes", null);
    const denial = denyingRules(licence, situation, model);
    if (denial.covered) return { polarity, reading: "yes", words: "Yes", because: denial.covered, mark: "warn" };
    if (denial.open.length)
      return {
        polarity,
        reading: "only-if",
        words: "Only if",
        because: denial.open.map((rule) => `${rule.if}: then ${rule.result}`).join("; or if "),
        mark: "warn",
      };
    return plain(polarity, "no", null);
  }
  if (answer.verdict === "no") {
    // "Outputs of Llama 2 13B to fine-tune Llama 2 7B": a ban on improving other models spares its own.
    if (condition?.except_own_models && check?.coverage === "not-covered")
      return {
        polarity,
        reading: "yes",
        words: "Yes",
        because: `the ban applies only when ${condition.if}${said}`,
        mark: "ok",
      };
    const when = !condition?.except_own_models
      ? null
      : check?.coverage === "covered"
        ? `${condition.result}${said}`
        : `${condition.result} (the ban applies when ${condition.if})`;
    return { polarity, reading: "no", words: "No", because: when, mark: "stop" };
  }
  if (condition && check?.coverage === "covered")
    return { polarity, reading: "no", words: "No", because: `${condition.result}${said}`, mark: "stop" };
  // Other rules of the licence that can take the permission away from this asker.
  const { covered: denied, open, cleared } = denyingRules(licence, situation, model);
  if (denied) return { polarity, reading: "no", words: "No", because: denied, mark: "stop" };
  if (open.length > 0)
    return {
      polarity,
      reading: "yes-unless",
      words: "Yes, unless",
      because: open.map((rule) => `${rule.if}: then ${rule.result}`).join("; or unless "),
      mark: "warn",
    };
  return {
    polarity,
    reading: "yes",
    words: "Yes",
    because: cleared.length ? `nothing in the terms stops you: you said ${cleared.join("; ")}` : null,
    mark: answer.verdict === "yes" ? "ok" : "ok",
  };
}

function plain(polarity: Polarity, reading: Reading, because: string | null): AskerVerdict {
  if (reading === "not-settled") return { polarity, reading, words: "Not settled", because, mark: "warn" };
  if (polarity === "is-there")
    return reading === "yes"
      ? { polarity, reading, words: "Yes, there is", because, mark: "warn" }
      : { polarity, reading, words: "No, there is none", because, mark: "ok" };
  if (polarity === "must")
    return reading === "yes"
      ? { polarity, reading, words: "Yes", because, mark: "warn" }
      : { polarity, reading, words: "No", because, mark: "ok" };
  return reading === "yes"
    ? { polarity, reading, words: "Yes", because, mark: "ok" }
    : { polarity, reading, words: "No", because, mark: "stop" };
}

/** "Do I have to open-source my fine-tune?": only a copyleft licence makes you. */
function copyleft(licence: Licence): AskerVerdict {
  const required = licence.conditions.some(
    (condition) => condition.startsWith("same-license") || condition === "disclose-source",
  );
  return required
    ? {
        polarity: "must",
        reading: "yes",
        words: "Yes",
        because: "what you share must stay under the same licence",
        mark: "warn",
      }
    : {
        polarity: "must",
        reading: "no",
        words: "No",
        because: "you need not release it; if you do share it, the duties below apply",
        mark: "ok",
      };
}

/** The rules of a licence that can take a permission away (cap, regions, banned uses), checked for one asker. */
function denyingRules(
  licence: Licence,
  situation: Situation,
  model: ModelDetail,
): { covered: string | null; open: ClauseCondition[]; cleared: string[] } {
  const open: ClauseCondition[] = [];
  const cleared: string[] = [];
  for (const other of DENYING) {
    const rule = licence.answers[other].condition;
    if (!rule || rule.duty || ruleExists(other, licence.answers[other].verdict, rule) === false) continue;
    const check = covers(rule, situation, model, licence.answers[other].measured_on ?? null);
    if (check.coverage === "covered")
      return { covered: `${rule.result}${check.said ? `: you said ${check.said}` : ""}`, open, cleared };
    if (check.coverage === "unknown" && other !== "acceptable-use") open.push(rule);
    if (check.coverage === "not-covered" && check.said) cleared.push(check.said);
  }
  return { covered: null, open, cleared };
}

function forbidding(may: AskerVerdict): AskerVerdict {
  const polarity = "forbids" as const;
  if (may.reading === "no") return { polarity, reading: "yes", words: "Yes", because: may.because, mark: "stop" };
  if (may.reading === "yes") return { polarity, reading: "no", words: "No", because: may.because, mark: "ok" };
  if (may.reading === "not-settled") return { ...may, polarity };
  return {
    polarity,
    reading: "no",
    words: "No",
    because: may.because ? `not unless ${may.because}` : null,
    mark: "warn",
  };
}
