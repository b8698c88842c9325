import type { ContentIssue } from "../content/issues.ts";
import type { LoadedContent, MdxDocument } from "../content/load.ts";
import type {
  FamilyFile,
  GlossaryFrontMatter,
  LayerFrontMatter,
  ModelRow,
  NewsFrontMatter,
  Project,
} from "../content/schemas.ts";
import { AliasIndex } from "./alias-index.ts";
import { FamilyGrouper } from "./families.ts";
import { buildHardware } from "./hardware.ts";
import { IN_PRACTICE_SLUG } from "./in-practice.ts";
import { LicenceMatcher } from "./licence-matcher.ts";
import { lookupKey } from "./normalize.ts";
import type {
  Family,
  KnowledgeBase,
  Layer,
  LayerSection,
  Licence,
  LicenceHistoryEntry,
  Model,
  NewsIssue,
  NewsStory,
  Term,
} from "./types.ts";
import { siteUrls } from "./urls.ts";

export interface BuildResult {
  kb: KnowledgeBase;
  issues: ContentIssue[];
}

/** Joins validated content into one immutable knowledge base, and reports what does not join up. */
export function buildKnowledge(content: LoadedContent): BuildResult {
  const issues: ContentIssue[] = [];
  const warn = (file: string, message: string, path?: string) =>
    issues.push({
      severity: "warning",
      file,
      message,
      ...(path ? { path } : {}),
    });

  const matcher = LicenceMatcher.forLicences(content.licences);
  for (const { alias, ids } of matcher.conflicts) {
    warn("licenses/", `alias "${alias}" is claimed by both ${ids[0]} and ${ids[1]}`);
  }
  const licenceIds = new Set(content.licences.map((licence) => licence.id));

  const grouper = new FamilyGrouper(content.families);
  for (const { alias, ids } of grouper.aliases.conflicts) {
    warn("families/", `alias "${alias}" is claimed by both ${ids[0]} and ${ids[1]}`);
  }

  const unmatchedLicences = new Map<string, number>();
  const matchLicence = (text: string): string[] => {
    if (!text.trim()) return [];
    const ids = matcher.match(text);
    if (ids.length === 0) unmatchedLicences.set(text, (unmatchedLicences.get(text) ?? 0) + 1);
    return ids;
  };

  // "Proprietary" names no licence of its own: such a row takes its family's provider terms.
  const proprietaryByFamily = new Map(
    content.families.map((family) => [
      family.id,
      family.licenses
        .map((entry) => entry.license)
        .filter((id) => content.licences.find((licence) => licence.id === id)?.tier === "proprietary"),
    ]),
  );
  const licencesOfRow = (row: ModelRow, familyId: string): string[] => {
    const generic = /^\s*(?:proprietary|closed|api[- ]only)\b/i.test(row.license) || row.openness === "proprietary";
    const providerTerms = proprietaryByFamily.get(familyId) ?? [];
    if (generic && providerTerms.length > 0) {
      const named = matcher.match(row.license);
      return named.length > 0 ? named : [...new Set(providerTerms)].slice(0, 1);
    }
    return matchLicence(row.license);
  };
  const models = content.models.map((row) => {
    const familyId = grouper.familyOfModel(row);
    return toModel(row, familyId, licencesOfRow(row, familyId));
  });
  const weightsProjects = content.projects.filter((project) => project.layers.includes("weights"));
  const projectsByFamily = new Map<string, Project>();
  for (const project of weightsProjects) {
    const familyId = grouper.familyOfProject(project) ?? grouper.familyOf(project.slug);
    if (!projectsByFamily.has(familyId)) projectsByFamily.set(familyId, project);
  }
  for (const [slug, familyId] of grouper.ungrouped) {
    const count = models.filter((model) => model.familySlug === slug).length;
    warn(
      "data/models.yaml",
      `family slug "${slug}" (${count} models) matches no registry family; served as its own family "${familyId}"`,
    );
  }

  const families = new Map<string, Family>();
  for (const file of content.families) {
    for (const [index, entry] of file.licenses.entries()) {
      if (!licenceIds.has(entry.license)) {
        issues.push({
          severity: "error",
          file: `families/${file.id}.yaml`,
          path: `licenses[${index}].license`,
          message: `unknown licence id "${entry.license}"`,
        });
      }
    }
    families.set(file.id, registryFamily(file, models, projectsByFamily.get(file.id)));
  }
  const dataFamilyIds = new Set([...models.map((model) => model.familyId), ...projectsByFamily.keys()]);
  for (const id of dataFamilyIds) {
    if (!families.has(id)) families.set(id, dataOnlyFamily(id, models, projectsByFamily.get(id)));
  }

  for (const family of families.values()) {
    const project = projectsByFamily.get(family.id);
    if (!project) continue;
    const projectIds = new Set(matcher.match(project.license));
    const modelIds = new Set(
      models.filter((model) => model.familyId === family.id).flatMap((model) => model.licenceIds),
    );
    const missing = [...modelIds].filter((id) => !projectIds.has(id));
    if (projectIds.size > 0 && missing.length > 0) {
      warn(
        "data/projects.yaml",
        `project "${project.slug}" licence "${project.license}" does not mention its models' licence(s): ${missing.join(", ")}`,
        `projects.${project.slug}.license`,
      );
    }
  }

  const licences = new Map<string, Licence>();
  for (const file of content.licences) {
    if (file.previous && !licenceIds.has(file.previous)) {
      issues.push({
        severity: "error",
        file: `licenses/${file.id}.yaml`,
        path: "previous",
        message: `unknown licence id "${file.previous}"`,
      });
    }
    const familyIds = [...families.values()]
      .filter((family) => family.licenses.some((entry) => entry.licenseId === file.id))
      .map((family) => family.id);
    const modelSlugs = models.filter((model) => model.licenceIds.includes(file.id)).map((model) => model.slug);
    for (const model of models) {
      if (model.licenceIds.includes(file.id) && !familyIds.includes(model.familyId)) familyIds.push(model.familyId);
    }
    const next = content.licences.find((other) => other.previous === file.id)?.id ?? null;
    licences.set(file.id, { ...file, familyIds, modelSlugs, next });
  }

  const { layers, sections } = buildLayers(content.layers, content.layerList);
  const lessonLinks = addLessons(content.lessons, sections);
  const terms = buildTerms(content, warn, lessonLinks);

  for (const [text, count] of [...unmatchedLicences].sort((a, b) => b[1] - a[1])) {
    warn("data/", `licence string "${text}" (${count}x) matches no registry licence`);
  }

  const kb: KnowledgeBase = {
    origin: content.layout === "site" ? "site" : "bundled",
    contentDate: newestDate(content),
    registryDate: newest([
      ...content.licences.map((licence) => licence.checked),
      ...content.families.map((family) => family.checked),
    ]),
    layers,
    sections,
    terms,
    families,
    licences,
    models: new Map(models.map((model) => [model.slug, model])),
    sizeOnlyModels: new Map(
      content.sizeRows.map((row) => [row.slug, toModel(row, grouper.familyOfModel(row), [])] as const),
    ),
    ...buildHardware(content, models, warn),
    news: content.news.map(toNewsIssue).sort((a, b) => b.date.localeCompare(a.date)),
    osaid: content.osaid
      ? {
          source: content.osaid.source,
          checked: String(content.osaid.checked),
          uncertain: content.osaid.uncertain,
          requirements: new Map(
            content.osaid.requirements.map(({ id, verdict, text }) => [id, { verdict, text }] as const),
          ),
          validation: content.osaid.validation
            ? {
                ...content.osaid.validation,
                checked: String(content.osaid.validation.checked),
                results: content.osaid.validation.results.map((result) => ({
                  ...result,
                  family: result.family ?? null,
                })),
              }
            : null,
        }
      : null,
  };
  return { kb: deepFreeze(kb), issues };
}

function toModel(row: ModelRow, familyId: string, licenceIds: string[]): Model {
  return {
    slug: row.slug,
    displayName: row.display_name,
    familyId,
    familySlug: row.family,
    developer: row.developer,
    country: row.developer_country ?? null,
    releasedDate: row.released_date ?? null,
    openness: row.openness,
    licenseText: row.license,
    licenceIds,
    osiApproved: row.osi_approved,
    dataReleased: row.data_released,
    trainingCodeReleased: row.training_code_released,
    trainingLogsReleased: row.training_logs_released,
    architecture: row.architecture ?? null,
    paramsTotal: row.params_total,
    paramsActive: row.params_active,
    contextWindow: row.context_window ?? null,
    attention: {
      variant: row.attention_variant ?? null,
      layers: row.layers_count ?? null,
      kvHeads: row.kv_heads ?? null,
      headDim: row.head_dim ?? null,
      hiddenSize: row.hidden_size ?? null,
      kvBytesPerTokenFp16: row.kv_bytes_per_token_fp16 ?? null,
    },
    sources: row.sources,
  };
}

function familyModels(id: string, models: readonly Model[]): Model[] {
  return models
    .filter((model) => model.familyId === id)
    .sort((a, b) => (b.releasedDate ?? "").localeCompare(a.releasedDate ?? ""));
}

function registryFamily(file: FamilyFile, models: readonly Model[], project: Project | undefined): Family {
  const own = familyModels(file.id, models);
  return {
    id: file.id,
    name: file.name,
    lab: file.lab,
    country: file.country,
    aliases: file.aliases,
    tier: file.tier,
    summary: file.summary,
    licenses: file.licenses.map((entry) => ({
      version: entry.version,
      released: entry.released ?? null,
      licenseId: entry.license,
      models: entry.models ?? null,
      note: entry.note ?? null,
      base: entry.base ?? null,
      usagePolicy: entry.usage_policy ?? null,
    })),
    openness: file.openness,
    opennessNote: file.openness_note ?? null,
    formerLicences: file.former_licenses,
    dataLicence: file.data_licence ?? null,
    uncertain: file.uncertain,
    source: file.source,
    checked: file.checked,
    projectSlug: project?.slug ?? null,
    projectLicense: project?.license ?? null,
    projectUrl: project?.url ?? null,
    modelSlugs: own.map((model) => model.slug),
    dataSlugs: [...new Set(own.map((model) => model.familySlug))],
    inRegistry: true,
  };
}

function dataOnlyFamily(id: string, models: readonly Model[], project: Project | undefined): Family {
  const own = familyModels(id, models);
  const first = own[0];
  const licenses: LicenceHistoryEntry[] = [];
  for (const model of own) {
    for (const licenseId of model.licenceIds) {
      const entry = licenses.find((existing) => existing.licenseId === licenseId);
      if (entry) entry.models = `${entry.models}, ${model.displayName}`;
      else {
        licenses.push({
          version: model.displayName,
          released: model.releasedDate,
          licenseId,
          models: model.displayName,
          note: null,
          base: null,
          usagePolicy: null,
        });
      }
    }
  }
  const level = (released: boolean) => (released ? "yes" : "no");
  return {
    id,
    name: project?.name ?? id.charAt(0).toUpperCase() + id.slice(1),
    lab: first?.developer || null,
    country: first?.country ?? null,
    aliases: [...new Set(own.map((model) => model.familySlug))],
    tier: null,
    summary:
      project?.description ||
      `A model family known only from the site's data: ${own.length} ${own.length === 1 ? "model" : "models"}.`,
    licenses,
    openness: first
      ? {
          weights: own.some((model) => model.openness !== "proprietary") ? "yes" : "no",
          data: level(own.some((model) => model.dataReleased)),
          training_code: level(own.some((model) => model.trainingCodeReleased)),
          logs: level(own.some((model) => model.trainingLogsReleased)),
          paper: "no",
        }
      : null,
    opennessNote: "Derived from the site's model data; this family has no entry in Stackbot's registry.",
    formerLicences: [],
    dataLicence: null,
    uncertain: ["Not in Stackbot's reviewed family registry: facts come from the site's data only."],
    source: null,
    checked: null,
    projectSlug: project?.slug ?? null,
    projectLicense: project?.license ?? null,
    projectUrl: project?.url ?? null,
    modelSlugs: own.map((model) => model.slug),
    dataSlugs: [...new Set(own.map((model) => model.familySlug))],
    inRegistry: false,
  };
}

/** Passages of a lesson longer than this are split at a paragraph, so a hit points to the right part. */
const PASSAGE_LENGTH = 900;

/**
 * Adds the lessons of the site's learning tracks as passages: each `##` section, or, for a lesson
 * without headings, runs of paragraphs of about PASSAGE_LENGTH characters. Returns, per passage id,
 * the glossary terms it links to.
 */
function addLessons(lessons: LoadedContent["lessons"], sections: Map<string, LayerSection>): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const { track, doc } of lessons) {
    const fm = doc.frontMatter;
    const slug = fm.slug ?? doc.slug;
    const url = siteUrls.lesson(track, slug);
    let part = 0;
    for (const section of doc.sections) {
      for (const passage of passages(section.blocks)) {
        part++;
        const id = `${track}/${slug}#${part}`;
        const heading = section.heading ?? (part === 1 ? "Introduction" : `Part ${part}`);
        sections.set(id, {
          id,
          layerSlug: track,
          layerTitle: fm.title,
          heading,
          blocks: passage,
          updated: fm.updated ?? null,
          url: section.heading ? `${url}#${anchorOf(section.heading)}` : url,
          summary: fm.one_liner,
          source: "lesson",
        });
        links.set(
          id,
          section.links.map((link) => link.term),
        );
      }
    }
  }
  return links;
}

function passages(blocks: readonly string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const block of blocks) {
    if (current.length > 0 && length + block.length > PASSAGE_LENGTH) {
      result.push(current);
      current = [];
      length = 0;
    }
    current.push(block);
    length += block.length;
  }
  if (current.length > 0) result.push(current);
  return result;
}

function buildTerms(
  content: LoadedContent,
  warn: (file: string, message: string, path?: string) => void,
  lessonLinks: ReadonlyMap<string, readonly string[]>,
): Map<string, Term> {
  const glossary = withOwnTerms(content.glossary, content.ownGlossary);
  const ownTerms = new Set(glossary.slice(content.glossary.length).map((doc) => doc.slug));
  const termAliases = new AliasIndex();
  for (const doc of glossary) {
    termAliases.add(doc.slug, [doc.slug, doc.frontMatter.term, ...doc.frontMatter.aliases]);
  }
  for (const { alias, ids } of termAliases.conflicts) {
    warn("glossary/", `alias "${alias}" is claimed by both ${ids[0]} and ${ids[1]}`);
  }
  const resolve = (file: string, term: string): string | undefined => {
    const slug = termAliases.get(term);
    if (!slug) warn(file, `<G term="${term}"> links to a missing glossary entry`);
    return slug;
  };

  const outgoing = new Map<string, string[]>();
  for (const doc of glossary) {
    const links = doc.sections.flatMap((section) => section.links);
    const slugs = links.map((link) => resolve(doc.file, link.term)).filter((slug): slug is string => !!slug);
    outgoing.set(
      doc.slug,
      [...new Set(slugs)].filter((slug) => slug !== doc.slug),
    );
  }
  for (const layer of content.layers) {
    for (const link of layer.sections.flatMap((section) => section.links)) resolve(layer.file, link.term);
  }
  const lessonsOf = new Map<string, string[]>();
  for (const [sectionId, terms] of lessonLinks) {
    for (const term of terms) {
      const slug = termAliases.get(term);
      if (slug && !lessonsOf.get(slug)?.includes(sectionId))
        lessonsOf.set(slug, [...(lessonsOf.get(slug) ?? []), sectionId]);
    }
  }
  const incoming = new Map<string, string[]>();
  for (const [from, targets] of outgoing) {
    for (const target of targets) incoming.set(target, [...(incoming.get(target) ?? []), from]);
  }

  return new Map(
    glossary.map((doc) => {
      const fm = doc.frontMatter;
      const related = [...new Set([...(outgoing.get(doc.slug) ?? []), ...(incoming.get(doc.slug) ?? [])])];
      const term: Term = {
        slug: doc.slug,
        term: fm.term,
        aliases: fm.aliases,
        primaryLayer: fm.primary_layer,
        secondaryLayers: fm.secondary_layers,
        summary: fm.summary,
        paragraphs: doc.sections.flatMap((section) => section.blocks),
        sources: fm.sources,
        updated: fm.updated ?? null,
        related,
        lessons: lessonsOf.get(doc.slug) ?? [],
        onSite: !ownTerms.has(doc.slug),
      };
      return [doc.slug, term];
    }),
  );
}

/**
 * Our entries join a site checkout's glossary. One the site lacks ("logits", "imatrix") keeps its
 * name. One the site also defines stays the site's, unless ours is a how-to entry (`practice`):
 * "Ollama" then joins as "Ollama in practice", for the tasks the site's entry does not cover.
 * Aliases the site gives another entry are dropped.
 */
function withOwnTerms(
  site: readonly MdxDocument<GlossaryFrontMatter>[],
  own: readonly MdxDocument<GlossaryFrontMatter>[],
): MdxDocument<GlossaryFrontMatter>[] {
  const taken = new Set(
    site.flatMap((doc) => [doc.slug, doc.frontMatter.term, ...doc.frontMatter.aliases].map(lookupKey)),
  );
  const added = own.flatMap((doc) => {
    const defined = taken.has(lookupKey(doc.slug)) || taken.has(lookupKey(doc.frontMatter.term));
    const aliases = doc.frontMatter.aliases.filter((alias) => !taken.has(lookupKey(alias)));
    // A checkout made from our own entries ("site-shaped") holds ours already: no second copy.
    const same = site.some((other) => other.slug === doc.slug && other.frontMatter.summary === doc.frontMatter.summary);
    if (defined && (!doc.frontMatter.practice || same)) return [];
    return defined
      ? {
          ...doc,
          slug: `${doc.slug}${IN_PRACTICE_SLUG}`,
          frontMatter: { ...doc.frontMatter, term: `${doc.frontMatter.term} in practice`, aliases },
        }
      : { ...doc, frontMatter: { ...doc.frontMatter, aliases } };
  });
  return [...site, ...added];
}

export function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .trim()
    .replace(/\s+/g, "-");
}

function buildLayers(
  docs: readonly MdxDocument<LayerFrontMatter>[],
  list: LoadedContent["layerList"],
): { layers: Map<string, Layer>; sections: Map<string, LayerSection> } {
  const layers = new Map<string, Layer>();
  const sections = new Map<string, LayerSection>();
  for (const item of list) {
    layers.set(item.slug, {
      slug: item.slug,
      title: item.title,
      shortDescription: item.short_description,
      tier: item.tier,
      order: item.order,
      sectionIds: [],
    });
  }
  for (const doc of docs) {
    const fm = doc.frontMatter;
    const sectionIds: string[] = [];
    for (const section of doc.sections) {
      const heading = section.heading ?? "Introduction";
      const id = `${fm.slug}#${anchorOf(heading)}`;
      sectionIds.push(id);
      sections.set(id, {
        id,
        layerSlug: fm.slug,
        layerTitle: fm.title,
        heading,
        blocks: section.blocks,
        updated: fm.updated ?? null,
        url: siteUrls.module(fm.slug, anchorOf(heading)),
        summary: "",
        source: "module",
      });
    }
    layers.set(fm.slug, {
      slug: fm.slug,
      title: fm.title,
      shortDescription: fm.short_description,
      tier: fm.tier,
      order: fm.order,
      sectionIds,
    });
  }
  return { layers, sections };
}

function toNewsIssue(doc: MdxDocument<NewsFrontMatter>): NewsIssue {
  const stories: NewsStory[] = [];
  for (const section of doc.sections) {
    for (const block of section.blocks) {
      const title = /^\*\*(.+)\*\*$/.exec(block)?.[1];
      const current = stories[stories.length - 1];
      if (title) stories.push({ layer: section.heading ?? "", title, text: "" });
      else if (current && !current.text) current.text = block;
    }
  }
  return {
    date: doc.frontMatter.date,
    editorialLetter: doc.frontMatter.editorial_letter,
    itemCount: doc.frontMatter.item_count,
    stories,
  };
}

/** The newest date the content itself gives (the site's, not our registries' checked dates). */
function newestDate(content: LoadedContent): string | null {
  return newest([
    ...content.glossary.map((doc) => doc.frontMatter.updated),
    ...content.layers.map((doc) => doc.frontMatter.updated),
    ...content.lessons.map(({ doc }) => doc.frontMatter.updated),
    ...content.news.map((doc) => doc.frontMatter.date),
  ]);
}

function newest(dates: (string | null | undefined)[]): string | null {
  return (
    dates
      .filter((date): date is string => Boolean(date))
      .sort()
      .at(-1) ?? null
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    const children = value instanceof Map ? [...value.values()] : Object.values(value);
    for (const child of children) deepFreeze(child);
  }
  return value;
}
