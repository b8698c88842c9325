import { type APIEmbed, MessageFlags } from "discord-api-types/v10";
import type { ExplainAnswer } from "../../answers/explain.ts";
import type { ClauseAnswer, LicenceOfAnswer, ListAnswer, UnknownAnswer, VerdictSpan } from "../../answers/types.ts";
import { VERDICT_WORD } from "../../answers/verdicts.ts";
import type { Licence } from "../../answers/views.ts";
import { buttonRow, entryButton, linkButton } from "../components.ts";
import { escapeUserText } from "../escape.ts";
import { creditFooter, link, NEUTRAL_COLOUR, TIER_COLOUR, TIER_LABEL } from "../format.ts";
import { LIMITS, type MessageParts, truncate, truncateAtSentence } from "../limits.ts";
import { withoutOpening } from "./clause-words.ts";
import { licenceName, licenceSummaryLines } from "./licence.ts";

const LIST_ITEMS = 8;

function asked(question: string): string {
  return `**Asked:** ${truncate(escapeUserText(question), 200)}`;
}

/** "Llama 2 and Llama 3: no · Llama 3.1 to Llama 4: yes, with conditions" */
export function spansLine(spans: readonly VerdictSpan[]): string {
  return spans
    .map((span) => {
      const versions =
        span.versions.length === 1
          ? span.versions[0]
          : span.versions.length === 2
            ? `${span.versions[0]} and ${span.versions[1]}`
            : `${span.versions[0]} to ${span.versions.at(-1)}`;
      return `${versions}: ${VERDICT_WORD[span.verdict].toLowerCase()}`;
    })
    .join(" · ");
}

function licenceButtons(licence: Licence, familyId: string | null, familyName: string | null) {
  return buttonRow([
    entryButton("license", licence.id, "Full licence card"),
    entryButton("license", licence.id, "All clause answers", "clauses"),
    ...(familyId && familyName ? [entryButton("family", familyId, `Family: ${familyName}`)] : []),
    linkButton("Licence text", licence.source.url),
  ]);
}

export function renderClause(answer: ClauseAnswer): MessageParts {
  const { fact, licence, family, newestOf, spans, subject } = answer;
  // About a release we do not hold, the warning comes before any verdict.
  const unlisted = answer.unlisted.length
    ? `⚠️ I hold no ${family?.name ?? subject.name} release of that size (${answer.unlisted.join(", ")}), so this is for ${newestOf ?? "the release I know"}. Check that model's own licence.`
    : null;
  const which = answer.version
    ? `This is for ${answer.version}, under ${licenceName(licence)}.`
    : newestOf && !unlisted
      ? `This is for ${newestOf}, the newest ${family?.name ?? subject.name} release; older versions have other terms.`
      : subject.ref.kind === "model"
        ? `${subject.name} is released under ${licenceName(licence)}.`
        : null;
  const { asker } = answer;
  const lines = [
    unlisted,
    `${ASKER_MARK[asker.mark]} **${asker.words}**${asker.because ? `${/(?:unless|if)$/i.test(asker.words) ? " " : ": "}${asker.because}` : ""}.`,
    withoutOpening(fact.text),
    fact.figure ? `**Figure:** ${fact.figure}${fact.measuredOn ? `, counted on ${fact.measuredOn}` : ""}` : null,
    which,
    spans.length ? `**By version:** ${spansLine(spans)}` : null,
    `**Source:** ${link(fact.source.title, fact.source.url)} · checked ${fact.checked}`,
  ];
  const title = truncate(`${licenceName(licence)}: ${CLAUSE_TITLE[fact.clause]}`, LIMITS.embedTitle);
  return licenceMessage(answer, title, lines);
}

const ASKER_MARK: Record<ClauseAnswer["asker"]["mark"], string> = { ok: "✅", warn: "⚠️", stop: "⛔" };

/** A licence answer's message: one embed on the licence, its tier colour, and the licence buttons. */
function licenceMessage(
  { question, licence, family, url, credit }: ClauseAnswer | LicenceOfAnswer,
  title: string,
  lines: (string | null)[],
): MessageParts {
  const embed: APIEmbed = {
    title,
    url,
    description: lines.filter(Boolean).join("\n"),
    color: TIER_COLOUR[licence.tier],
    footer: creditFooter(credit, "Plain-language summary, not legal advice"),
  };
  return {
    content: asked(question),
    embeds: [embed],
    components: [licenceButtons(licence, family?.id ?? null, family?.name ?? null)],
  };
}

const CLAUSE_TITLE: Record<ClauseAnswer["fact"]["clause"], string> = {
  "commercial-use": "commercial use",
  "user-cap": "user or revenue cap",
  modify: "modifying and fine-tuning",
  redistribute: "redistribution",
  "train-other-models": "training other models",
  "naming-attribution": "naming and credit",
  "acceptable-use": "acceptable-use policy",
  "regional-limits": "regional limits",
  termination: "termination",
  notices: "notices to ship",
  "osi-approved": "OSI approval",
  "gated-download": "gated download",
};

/** How much of the registry's note on a release a licence-of answer quotes. */
const RELEASE_NOTE_SHOWN = 220;

export function renderLicenceOf(answer: LicenceOfAnswer): MessageParts {
  const { licence, newestOf, subject, otherVersions } = answer;
  const { version } = answer;
  const who = version
    ? version.toLowerCase().startsWith(subject.name.toLowerCase())
      ? version
      : `${subject.name} ${version}`
    : newestOf
      ? `${subject.name} (newest release, ${newestOf})`
      : subject.name;
  const unlisted = answer.unlisted.length
    ? `⚠️ I hold no ${answer.family?.name ?? subject.name} release of that size (${answer.unlisted.join(", ")}): this is the newest release I know. Check that model's own licence.`
    : null;
  const { claimed, formerly } = answer;
  const guess = formerly
    ? `⛔ **No**, no longer the ${formerly.name} (${formerly.versions}: ${formerly.note}). Now: `
    : claimed
      ? claimed.id === licence.id
        ? "✅ **Yes**: "
        : `⛔ **No**, not ${licenceName(claimed)}: `
      : "";
  const headline = `${guess}**${who}** is under **${licenceName(licence)}**: ${TIER_LABEL[licence.tier]}.`;
  const versions = otherVersions.length
    ? `**Other versions:** ${otherVersions
        .slice(0, 5)
        .map((entry) => `${entry.version}: ${licenceName(entry.licence)}`)
        .join(" · ")}`
    : null;
  const note = answer.releaseNote ? `ℹ️ ${truncateAtSentence(answer.releaseNote, RELEASE_NOTE_SHOWN)}` : null;
  const lines = [headline, note, unlisted, ...licenceSummaryLines(licence, true), versions];
  return licenceMessage(answer, licence.name, lines);
}

export function renderList(answer: ListAnswer): MessageParts {
  const shown = answer.items.slice(0, LIST_ITEMS);
  const lines = shown.map((item) => `• **${item.name}**: ${truncate(item.detail, 80)}`);
  if (answer.items.length > shown.length) lines.push(`…and ${answer.items.length - shown.length} more`);
  const embed: APIEmbed = {
    title: truncate(
      `${answer.items.length} ${answer.items.length === 1 ? singular(answer.description) : answer.description}`,
      LIMITS.embedTitle,
    ),
    description: answer.items.length ? lines.join("\n") : "None in the content I hold.",
    color: NEUTRAL_COLOUR,
    footer: creditFooter(answer.credit, `Rule: ${answer.description}`),
  };
  const buttons = shown
    .slice(0, LIMITS.buttonsPerRow)
    .flatMap((item) =>
      item.ref ? [entryButton(item.ref.kind === "family" ? "family" : "license", item.ref.id, item.name)] : [],
    );
  return { content: asked(answer.question), embeds: [embed], components: buttons.length ? [buttonRow(buttons)] : [] };
}

/** "1 family", not "1 families": the description's first word in the singular. */
function singular(description: string): string {
  return description.replace(/^(famil)ies\b/, "$1y").replace(/^(models|licences|labs)\b/, (word) => word.slice(0, -1));
}

const COVERAGE =
  "I cover open AI model licences (what they allow, clause by clause), model families and what they release, a glossary of terms, and the site's module on weights.";

export function renderUnknown(answer: UnknownAnswer): MessageParts {
  const opening =
    answer.reason === "unknown-name" && answer.unknownName
      ? `I don't have anything on **${escapeUserText(answer.unknownName)}** in my content, so I can't answer that.`
      : answer.reason === "off-topic"
        ? "That's outside what I know, so I won't guess."
        : "I don't know: my content doesn't answer that.";
  const suggestions = answer.suggestions.length
    ? `\nPerhaps related (not an answer): ${answer.suggestions
        .map((suggestion) => link(suggestion.name, suggestion.url))
        .join(" · ")}`
    : "";
  return {
    content: `${asked(answer.question)}\n${opening} ${COVERAGE}${suggestions}\nSee also ${link("the site", answer.siteUrl)}.`,
    flags: MessageFlags.SuppressEmbeds,
  };
}

const EXPLAIN_COMMAND: Record<ExplainAnswer["items"][number]["ref"]["kind"], string> = {
  license: "license",
  model: "license",
  family: "family",
  term: "term",
  section: "ask",
};

/** "Explain with Stackbot": one line per entry the message names, a button for each full answer. */
export function renderExplain(answer: ExplainAnswer): MessageParts {
  if (answer.items.length === 0) {
    return {
      content:
        "I found no licence, model family, model or glossary term I know in that message. Try `/ask` with a question.",
    };
  }
  const lines = answer.items.map((item) => `• **${escapeUserText(item.name)}**: ${item.gist}`);
  const embed: APIEmbed = {
    title: `What this message mentions (${answer.items.length})`,
    description: [
      ...answer.claims.map((claim) => `⚠️ ${claim}`),
      ...lines,
      answer.truncated ? "_Only the start of a long message was read._" : null,
    ]
      .filter(Boolean)
      .join("\n"),
    color: NEUTRAL_COLOUR,
    footer: creditFooter(answer.credit, "Plain-language summary, not legal advice"),
  };
  const buttons = answer.items.map((item) => entryButton(EXPLAIN_COMMAND[item.ref.kind], item.ref.id, item.name));
  const rows = [buttons.slice(0, LIMITS.buttonsPerRow), buttons.slice(LIMITS.buttonsPerRow, 2 * LIMITS.buttonsPerRow)]
    .filter((row) => row.length > 0)
    .map(buttonRow);
  return { embeds: [embed], components: rows };
}
