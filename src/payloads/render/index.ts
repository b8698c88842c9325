import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";
import { clauseFact } from "../../answers/clause.ts";
import type {
  Answer,
  AskAnswer,
  CompareAnswer,
  EntryAnswer,
  FamilyAnswer,
  HelpAnswer,
  LicenceAnswer,
  NotFoundAnswer,
} from "../../answers/types.ts";
import { VERDICT_WORD } from "../../answers/verdicts.ts";
import type { Licence } from "../../answers/views.ts";
import type { ClauseQuestion } from "../../content/schemas.ts";
import { buttonRow, entryButton, pickMenu } from "../components.ts";
import { escapeUserText } from "../escape.ts";
import {
  creditFooter,
  link,
  NEUTRAL_COLOUR,
  OPENNESS_LABEL,
  opennessLine,
  TIER_LABEL,
  verdictMark,
} from "../format.ts";
import {
  firstScreenLength,
  fitFirstScreen,
  LIMITS,
  type MessageParts,
  truncate,
  truncateAtSentence,
} from "../limits.ts";
import { conditionWords, withoutOpening } from "./clause-words.ts";
import { renderDecline } from "./decline.ts";
import { familyLicenceLines, renderFamily, renderModel } from "./family.ts";
import { renderFit, renderFitCapacity } from "./fit.ts";
import { renderHardwareCompare } from "./hardware-compare.ts";
import { renderLicence, renderLicenceHistory } from "./licence.ts";
import { renderOsaid } from "./osaid.ts";
import { renderClause, renderExplain, renderLicenceOf, renderList, renderUnknown } from "./shapes.ts";
import { renderSection, renderTerm } from "./term.ts";

export interface RenderContext {
  /** The command a did-you-mean pick re-runs. */
  command: string;
  /** Whether the person asked for a private answer (picks from the menu stay private too). */
  hidden: boolean;
  /** A detail of the entry instead of its first screen ("clauses", "full", "versions"). */
  view?: string | undefined;
}

type Renderers = {
  [K in Answer["type"]]: (answer: Extract<Answer, { type: K }>, context: RenderContext) => MessageParts;
};

const renderers: Renderers = {
  fit: renderFit,
  "fit-capacity": renderFitCapacity,
  "hardware-compare": renderHardwareCompare,
  decline: renderDecline,
  osaid: renderOsaid,
  license: (answer, { view }) => renderLicence(answer, view),
  "license-history": (answer, { view }) => renderLicenceHistory(answer, view),
  family: (answer, { view }) => renderFamily(answer, view),
  model: renderModel,
  term: renderTerm,
  section: renderSection,
  ask: renderAsk,
  compare: renderCompare,
  clause: renderClause,
  "licence-of": renderLicenceOf,
  list: renderList,
  unknown: renderUnknown,
  explain: renderExplain,
  help: renderHelp,
  "not-found": renderNotFound,
};

/** The message parts for any answer (the reply helper then fits and addresses them). */
export function render(answer: Answer, context: RenderContext): MessageParts {
  const renderer = renderers[answer.type] as (answer: Answer, context: RenderContext) => MessageParts;
  const parts = renderer(answer, context);
  // A detail view is opened on purpose and may run long; every first answer fits a phone's screen.
  return context.view ? parts : fitFirstScreen(parts);
}

function renderEntry(answer: EntryAnswer, context: RenderContext): MessageParts {
  return render(answer, context);
}

/** With a lead, the entry's own text gets what is left of this much, and never less than the minimum. */
const LEAD_ROOM = 700;
const LEAD_ROOM_MIN = 200;

function renderAsk(answer: AskAnswer, context: RenderContext): MessageParts {
  const best = renderEntry(answer.best, context);
  const [first, ...others] = best.embeds ?? [];
  const seeAlso: APIEmbed | null = answer.seeAlso.length
    ? {
        title: "See also",
        description: answer.seeAlso.map((entry) => `• ${link(entry.name, entry.url)}`).join("\n"),
        color: NEUTRAL_COLOUR,
      }
    : null;
  // A lead answers first; the entry below it is cut shorter so the first screen stays short.
  const opened =
    first && answer.lead
      ? {
          ...first,
          description: `${answer.lead}\n${truncateAtSentence(first.description ?? "", Math.max(LEAD_ROOM_MIN, LEAD_ROOM - answer.lead.length))}`,
        }
      : first;
  return {
    content: `**Asked:** ${truncate(escapeUserText(answer.question), 300)}`,
    embeds: [opened, ...others, seeAlso].filter((embed): embed is APIEmbed => Boolean(embed)),
    components: best.components ?? [],
  };
}

function sideBySide(name: string, left: string, right: string, leftName: string, rightName: string): APIEmbedField {
  return {
    name,
    value: `**${leftName}**: ${left}\n**${rightName}**: ${right}`,
  };
}

function renderCompare({ left, right, url, asked, focus, asks }: CompareAnswer): MessageParts {
  if (left.type === "family" && right.type === "family") return compareFamilies(left, right, url);
  const parts = compareLicences(left as LicenceAnswer, right as LicenceAnswer, url, asked, focus);
  const [first, ...rest] = parts.embeds ?? [];
  if (!asks || !first) return parts;
  // The sides compared by licence always differ: "same deal?" is a no, "did it change?" a yes.
  const a = (left as LicenceAnswer).licence;
  const b = (right as LicenceAnswer).licence;
  const names = `${a.short_name ?? a.name} and ${b.short_name ?? b.name}`;
  const lead =
    asks === "same"
      ? `⚠️ **No**: different licences, ${names}; where they differ is below.`
      : `⚠️ **Yes**: the licence changed, ${names}; where they differ is below.`;
  return { ...parts, embeds: [{ ...first, description: `${lead}\n${first.description ?? ""}` }, ...rest] };
}

function compareFamilies(left: FamilyAnswer, right: FamilyAnswer, url: string): MessageParts {
  const a = left.family;
  const b = right.family;
  const row = (label: string, pick: (answer: FamilyAnswer) => string) =>
    sideBySide(label, pick(left), pick(right), a.name, b.name);
  const fields = [
    row("Lab", ({ family }) => [family.lab, family.country].filter(Boolean).join(", ") || "unknown"),
    row("Tier", ({ family }) => (family.tier ? TIER_LABEL[family.tier] : "not in registry")),
    row("Licences", ({ versions }) => familyLicenceLines(versions).slice(0, 2).join("; ") || "none recorded"),
    ...(Object.keys(OPENNESS_LABEL) as (keyof typeof OPENNESS_LABEL)[]).map((aspect) =>
      row(OPENNESS_LABEL[aspect], ({ family }) => family.openness?.[aspect] ?? "unknown"),
    ),
    row("Models in the data", ({ models }) => String(models.length)),
  ];
  return {
    embeds: [
      {
        title: `${a.name} vs ${b.name}`,
        url,
        description: [a, b]
          .map(
            (family) => `**${family.name}**: ${family.openness ? opennessLine(family.openness) : "openness unknown"}`,
          )
          .join("\n"),
        color: NEUTRAL_COLOUR,
        fields,
        footer: creditFooter(left.credit, "Plain-language summary, not legal advice"),
      },
    ],
  };
}

const CLAUSE_TITLES: Record<ClauseQuestion, string> = {
  "commercial-use": "Commercial use",
  "user-cap": "Any scale (no user cap)",
  modify: "Modify and fine-tune",
  redistribute: "Redistribute",
  "train-other-models": "Train other models on it",
  "naming-attribution": "Naming or credit duty",
  "acceptable-use": "Use policy",
  "regional-limits": "Excluded places",
  termination: "Can be terminated",
  notices: "Notices to ship",
  "osi-approved": "OSI-approved",
  "gated-download": "Gated download",
};

/** Rows of a licence comparison: every clause, then the grant terms that tell licences apart. */
const LICENCE_ROWS: readonly [string, ClauseQuestion][] = [
  ["Commercial use", "commercial-use"],
  ["Any scale (no user cap)", "user-cap"],
  ["Modify and fine-tune", "modify"],
  ["Redistribute", "redistribute"],
  ["Train other models on it", "train-other-models"],
  ["Naming or credit duty", "naming-attribution"],
  ["Use policy", "acceptable-use"],
  ["Excluded places", "regional-limits"],
  ["Can be terminated", "termination"],
  ["Notices to ship", "notices"],
  ["Gated download", "gated-download"],
];
const COMPARE_ROWS_SHOWN = 6;
/** How much of a condition a differing row quotes. */
const COMPARE_DETAIL = 90;
/** A comparison row: its label, the value compared, and the value shown when it differs from the compared one. */
type Row = [string, (licence: Licence) => string, ((licence: Licence) => string)?];

/** The embed's share of a first screen, leaving the asked line its room under 1,200 characters. */
const COMPARE_SCREEN = 1150;
/** Each licence's own summary, cut at a sentence: what it is, before the rows that differ. */
const COMPARE_SUMMARY = 150;

/** Two licences side by side: where they differ first, the rows they share named in one line. */
function compareLicences(
  left: LicenceAnswer,
  right: LicenceAnswer,
  url: string,
  asked?: [string, string],
  focus?: ClauseQuestion,
): MessageParts {
  const a = left.licence;
  const b = right.licence;
  const name = (licence: typeof a) => licence.short_name ?? licence.name;
  const verdict = (clause: ClauseQuestion) => (licence: typeof a) => {
    const fact = clauseFact(licence, clause);
    return `${verdictMark(clause, fact.verdict)} ${VERDICT_WORD[fact.verdict].toLowerCase()}${fact.figure ? ` (${fact.figure})` : ""}`;
  };
  // A differing clause row says what the condition or the limit is, not only that there is one; a
  // side with nothing to heed (✅) needs no words, nor one our notes leave unconfirmed.
  const detailed = (clause: ClauseQuestion) => (licence: typeof a) => {
    const shown = verdict(clause)(licence);
    const { verdict: said, text } = licence.answers[clause];
    if (shown.startsWith("✅") || said === "unconfirmed" || said === "not-addressed") return shown;
    return `${shown}: ${truncate(conditionWords(text), COMPARE_DETAIL)}`;
  };
  // What decides most questions first: the clause rows, then the tier and the finer points.
  const rows: Row[] = [
    ...LICENCE_ROWS.map(([label, clause]): Row => [label, verdict(clause), detailed(clause)]),
    ["Tier", (licence) => `${TIER_LABEL[licence.tier]}${licence.osi_approved ? " (OSI-approved)" : ""}`],
    [
      "Patent grant",
      (licence) => (licence.permissions.includes("patent-use") ? "✅ explicit patent licence" : "➖ none stated"),
    ],
    [
      "Copyleft",
      (licence) =>
        licence.conditions.some((condition) => condition.startsWith("same-license"))
          ? "⚠️ derivatives keep the licence"
          : "➖ no",
    ],
  ];
  // The clause asked about comes first, in the licences' own words.
  const focused: Row[] = focus
    ? [
        [
          CLAUSE_TITLES[focus],
          verdict(focus),
          (licence) => `${verdict(focus)(licence)}: ${truncate(withoutOpening(licence.answers[focus].text), 140)}`,
        ],
      ]
    : [];
  // Each row's two values, worked out once: compared by verdict, shown with their conditions.
  const valued = [...focused, ...rows.filter(([label]) => !focused.some(([title]) => title === label))].map(
    ([label, pick, show = pick], index) => ({
      label,
      differs: pick(a) !== pick(b),
      left: show(a),
      right: show(b),
      focus: index < focused.length,
      unsure: [a, b].filter((licence) => /^❔/.test(pick(licence))).length,
    }),
  );
  // Differences both sides confirm come before those one side leaves unconfirmed.
  const differing = valued
    .filter((row) => row.focus || row.differs)
    .sort((x, y) => Number(y.focus) - Number(x.focus) || x.unsure - y.unsure);
  const same = valued.filter((row) => !row.focus && !row.differs).map((row) => row.label);
  const describe = (withSummaries: boolean) =>
    [
      asked ? `**${asked[0]}** is under ${a.name}; **${asked[1]}** is under ${b.name}.` : null,
      ...(withSummaries
        ? [a, b].map((licence) => `**${name(licence)}**: ${truncateAtSentence(licence.summary, COMPARE_SUMMARY)}`)
        : []),
      // Two versions of one licence: what the newer one changed, in its own words.
      a.previous === b.id && a.changes
        ? `**What ${name(a)} changed:** ${truncateAtSentence(a.changes, 220)}`
        : b.previous === a.id && b.changes
          ? `**What ${name(b)} changed:** ${truncateAtSentence(b.changes, 220)}`
          : null,
      differing.length
        ? `**Where they differ:** ${differing.map((row) => row.label.toLowerCase()).join(", ")}. The buttons give each licence's full card.`
        : "They answer every clause the same way; the buttons give each licence's full card.",
    ]
      .filter(Boolean)
      .join("\n");
  const embed: APIEmbed = {
    title: `${name(a)} vs ${name(b)}`,
    url,
    // The differing rows say more than the summaries: the summaries only where there is room left.
    description: describe(false),
    color: NEUTRAL_COLOUR,
    fields: [],
    footer: creditFooter(
      left.credit,
      `Plain-language summary, not legal advice · checked ${a.checked} and ${b.checked}`,
    ),
  };
  // The clause asked about always shows; then as many differing rows as fit a phone's first screen.
  const rowsShown = differing
    .slice(0, COMPARE_ROWS_SHOWN)
    .map((row) => sideBySide(row.label, row.left, row.right, name(a), name(b)));
  const withSame = (fields: APIEmbedField[]) =>
    same.length ? [...fields, { name: "The same on both", value: same.join(", ") }] : fields;
  let count = rowsShown.length;
  while (
    count > (focus ? 1 : 0) &&
    firstScreenLength({ embeds: [{ ...embed, fields: withSame(rowsShown.slice(0, count)) }] }) > COMPARE_SCREEN
  )
    count--;
  embed.fields = withSame(rowsShown.slice(0, count));
  if (firstScreenLength({ embeds: [{ ...embed, description: describe(true) }] }) <= COMPARE_SCREEN)
    embed.description = describe(true);
  // Still too long (a long focus row): the shared rows go.
  if (firstScreenLength({ embeds: [embed] }) > COMPARE_SCREEN) embed.fields = rowsShown.slice(0, Math.max(count, 1));
  return {
    embeds: [embed],
    components: [buttonRow([entryButton("license", a.id, name(a)), entryButton("license", b.id, name(b))])],
  };
}

function renderHelp(answer: HelpAnswer): MessageParts {
  const { counts } = answer;
  const commands = [
    "`/license name` what a licence lets you do; for a family, its licences by version",
    "`/family name` who makes a model family, its licences, and what it releases",
    "`/term name` a glossary term, with related terms",
    "`/ask question` a free-text question; add `thread:true` to discuss it in a thread",
    "`/compare first second` two families or two licences side by side",
    "`/fit model hardware` will a model run on your hardware, and how fast",
    "Every lookup has `hide` (only you see the answer) and `mention` (address it to someone).",
    "Admins (Manage Server): `/digest` for a daily digest, `/autoanswer` for suggestions on new forum posts",
  ];
  return {
    embeds: [
      {
        title: "Stackbot: answers from The Open-Source AI Stack",
        url: answer.siteUrl,
        description: commands.map((line) => `• ${line}`).join("\n"),
        color: NEUTRAL_COLOUR,
        fields: [
          {
            name: "What I know",
            value: `${counts.terms} glossary terms · ${counts.families} model families · ${counts.licences} licences · ${counts.models} models · ${counts.sections} module sections`,
          },
          {
            name: "Content",
            value: `${
              answer.synced
                ? `${answer.siteName}, synced at commit ${answer.synced.commit.slice(0, 7)} of ${answer.synced.date.slice(0, 10)}`
                : answer.origin === "site"
                  ? `A checkout of ${answer.siteName}, updated ${answer.contentDate ?? "(undated)"}`
                  : `Bundled content, updated ${answer.contentDate ?? "(undated)"}`
            } · licence and family registries checked ${answer.registryDate ?? "(unknown)"}`,
          },
        ],
        footer: creditFooter(answer.credit),
      },
    ],
  };
}

function renderNotFound(answer: NotFoundAnswer, context: RenderContext): MessageParts {
  const query = truncate(escapeUserText(answer.query), 200);
  const suggestions = answer.suggestions.slice(0, LIMITS.selectOptions);
  if (suggestions.length === 0) {
    return {
      content: `I found no ${answer.looked} matching "${query}". Try the autocomplete list as you type, or \`/ask\` with a question.`,
    };
  }
  return {
    content: `I found no ${answer.looked} called "${query}". Did you mean one of these?`,
    components: [
      pickMenu(
        context.command,
        context.hidden,
        suggestions.map((hit) => ({
          label: hit.name,
          value: hit.id,
          description: KIND_WORD[hit.kind],
        })),
      ),
    ],
  };
}

const KIND_WORD = {
  license: "licence",
  family: "model family",
  term: "glossary term",
  model: "model",
  section: "module section",
} as const;
