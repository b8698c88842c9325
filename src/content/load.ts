import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { load as parseYaml } from "js-yaml";
import type { z } from "zod";
import { type ContentIssue, issuesFromZod } from "./issues.ts";
import type { MdxSection, ParsedMdx } from "./mdx.ts";
import { DEFAULT_CACHE_FILE, MdxParseCache } from "./parse-cache.ts";
import {
  type FamilyFile,
  familySchema,
  type GlossaryFrontMatter,
  glossaryFrontMatter,
  type HardwareBenchmarkRow,
  type HardwareRow,
  hardwareBenchmarkSchema,
  hardwareSchema,
  type LayerFrontMatter,
  type LayerListItem,
  type LessonFrontMatter,
  type LicenceFile,
  layerFrontMatter,
  layersFile,
  lessonFrontMatter,
  licenceSchema,
  type ModelRow,
  modelSchema,
  type NewsFrontMatter,
  newsFrontMatter,
  type OsaidFile,
  osaidFile,
  type Project,
  projectSchema,
} from "./schemas.ts";

export interface MdxDocument<FrontMatter> {
  slug: string;
  file: string;
  frontMatter: FrontMatter;
  sections: MdxSection[];
}

/** Everything read from disk, validated, before any joining. */
export interface LoadedContent {
  contentDir: string;
  /** "site" when the content root is a checkout of the site (it has `src/content/`). */
  layout: "site" | "flat";
  layers: MdxDocument<LayerFrontMatter>[];
  layerList: (LayerListItem & { tier: "core" | "meta" })[];
  glossary: MdxDocument<GlossaryFrontMatter>[];
  /**
   * Our glossary, beside a site checkout's (empty otherwise): the entries the site lacks are served
   * too, the site's names winning (see the knowledge stage).
   */
  ownGlossary: MdxDocument<GlossaryFrontMatter>[];
  news: MdxDocument<NewsFrontMatter>[];
  /** The site's learning tracks, by track: "how-llms-work" and "self-host". */
  lessons: { track: LessonTrack; doc: MdxDocument<LessonFrontMatter> }[];
  projects: Project[];
  models: ModelRow[];
  /**
   * On a site checkout, our model rows the site lacks: only their sizes and attention shapes are used,
   * so a fit question about a model the site has no row for still gets its real size.
   */
  sizeRows: ModelRow[];
  /** The accelerator catalogue and measured decode speeds; absent files give empty lists. */
  hardware: HardwareRow[];
  benchmarks: HardwareBenchmarkRow[];
  licences: LicenceFile[];
  families: FamilyFile[];
  /** What the Open Source AI Definition asks, from our registry. */
  osaid: OsaidFile | undefined;
  issues: ContentIssue[];
  /** What a site checkout's tolerant reading left out: fields dropped or mended, records skipped. */
  salvage: SalvageCounts;
}

/** The site's learning tracks: `src/content/<track>-modules/`, served at `/learn/<track>/<slug>`. */
export const LESSON_TRACKS = ["how-llms-work", "self-host"] as const;
export type LessonTrack = (typeof LESSON_TRACKS)[number];

export interface SalvageCounts {
  droppedFields: number;
  coercedFields: number;
  skippedRecords: number;
}

export interface LoadOptions {
  /** The content root: the bundled `content/` or a checkout of the site. */
  contentDir: string;
  /** Where the licence and family registries live: always the project's own `content/`. */
  registryDir: string;
  /** The parsed-MDX cache file; null to parse everything afresh. */
  cacheFile?: string | null;
}

export function detectLayout(contentDir: string): {
  layout: "site" | "flat";
  mdxRoot: string;
  dataRoot: string;
} {
  const siteContent = join(contentDir, "src", "content");
  return existsSync(siteContent)
    ? {
        layout: "site",
        mdxRoot: siteContent,
        dataRoot: join(contentDir, "data"),
      }
    : {
        layout: "flat",
        mdxRoot: contentDir,
        dataRoot: join(contentDir, "data"),
      };
}

export function loadContent(options: LoadOptions): LoadedContent {
  const { contentDir, registryDir } = options;
  const issues: ContentIssue[] = [];
  if (!existsSync(contentDir) || !statSync(contentDir).isDirectory()) {
    issues.push({
      severity: "error",
      file: contentDir,
      message: "content directory not found",
    });
  }
  const { layout, mdxRoot, dataRoot } = detectLayout(contentDir);
  const display = (file: string) => relative(process.cwd(), file) || file;
  // The site is hand-kept and changes daily: a checkout is read record by record, mending or
  // dropping what does not validate. Our own content stays strict.
  const reader = new Reader(
    issues,
    display,
    new MdxParseCache(options.cacheFile === undefined ? DEFAULT_CACHE_FILE : options.cacheFile),
    layout === "site",
  );
  const registry = new Reader(issues, display, reader.cache, false);

  const layerListFile = reader.yamlFile(join(dataRoot, "layers.yaml"), layersFile);
  const projects = reader.yamlRows(join(dataRoot, "projects.yaml"), "projects", projectSchema);
  const models = reader.yamlRows(join(dataRoot, "models.yaml"), "models", modelSchema);
  const hardware = reader.yamlRows(join(dataRoot, "hardware.yaml"), "hardware", hardwareSchema, { optional: true });
  const benchmarks = reader.yamlRows(
    join(dataRoot, "hardware-benchmarks.yaml"),
    "benchmarks",
    hardwareBenchmarkSchema,
    {
      optional: true,
    },
  );
  // Our hardware catalogue fills the site's gaps, as the registries do: the site's rows win, ours add
  // the parts it lacks (a 3090, an A100) and the short names people type for the parts it has.
  const ownData = join(registryDir, "data");
  const sizeRows: ModelRow[] = [];
  if (layout === "site" && ownData !== dataRoot) {
    mergeHardware(
      hardware,
      registry.yamlRows(join(ownData, "hardware.yaml"), "hardware", hardwareSchema, { optional: true }),
    );
    const key = (row: HardwareBenchmarkRow) =>
      `${row.model_slug}|${row.hardware_slug}|${row.quant}|${row.runtime}|${row.num_units}`;
    const seen = new Set(benchmarks.map(key));
    const own = registry.yamlRows(join(ownData, "hardware-benchmarks.yaml"), "benchmarks", hardwareBenchmarkSchema, {
      optional: true,
    });
    // Only rows about models the site lists: ours name bundled models the site may not have.
    const siteModels = new Set(models.map((model) => model.slug));
    benchmarks.push(...own.filter((row) => !seen.has(key(row)) && siteModels.has(row.model_slug)));
    sizeRows.push(
      ...registry
        .yamlRows(join(ownData, "models.yaml"), "models", modelSchema)
        .filter((row) => !siteModels.has(row.slug)),
    );
  }

  const layers = reader.mdxDir(join(mdxRoot, "layers"), layerFrontMatter);
  const glossary = reader.mdxDir(join(mdxRoot, "glossary"), glossaryFrontMatter);
  const ownGlossary =
    layout === "site" && join(registryDir, "glossary") !== join(mdxRoot, "glossary") && glossary.length > 0
      ? registry.mdxDir(join(registryDir, "glossary"), glossaryFrontMatter)
      : [];
  const news = reader.mdxDir(join(mdxRoot, "news"), newsFrontMatter, { optional: true });
  const lessons = LESSON_TRACKS.flatMap((track) =>
    reader
      .mdxDir(join(mdxRoot, `${track}-modules`), lessonFrontMatter, { optional: true })
      .map((doc) => ({ track, doc })),
  );
  reader.cache.save();
  // A checkout is read tolerantly, but one with no glossary or no layers is not the site at all.
  if (layout === "site") {
    for (const [name, found] of [
      ["glossary", glossary.length],
      ["layers", layers.length],
    ] as const) {
      if (found === 0) {
        issues.push({
          severity: "error",
          file: display(join(mdxRoot, name)),
          message: `no ${name} entries could be read: is this a checkout of the site?`,
        });
      }
    }
  }

  return {
    contentDir,
    layout,
    layers,
    layerList: layerListFile
      ? [
          ...layerListFile.core.map((item) => ({
            ...item,
            tier: "core" as const,
          })),
          ...layerListFile.meta.map((item) => ({
            ...item,
            tier: "meta" as const,
          })),
        ]
      : [],
    glossary,
    ownGlossary,
    news,
    lessons,
    projects,
    models,
    sizeRows,
    hardware,
    benchmarks,
    licences: registry.yamlDir(join(registryDir, "licenses"), licenceSchema),
    families: registry.yamlDir(join(registryDir, "families"), familySchema),
    osaid: registry.yamlFile(join(registryDir, "osaid.yaml"), osaidFile),
    issues,
    salvage: reader.salvage,
  };
}

/** Adds our parts the site lacks, and our short names to the parts it has. */
function mergeHardware(site: HardwareRow[], own: readonly HardwareRow[]): void {
  const bySlug = new Map(site.map((row) => [row.slug, row]));
  for (const row of own) {
    const theirs = bySlug.get(row.slug);
    if (theirs) theirs.aliases = [...new Set([...theirs.aliases, ...row.aliases])];
    else site.push(row);
  }
}

/** Fields without which a record means nothing: a row missing one is skipped, not mended. */
const IDENTITY_FIELDS = new Set(["slug", "name", "display_name", "term", "title", "family"]);

class Reader {
  readonly salvage: SalvageCounts = { droppedFields: 0, coercedFields: 0, skippedRecords: 0 };

  constructor(
    private readonly issues: ContentIssue[],
    private readonly display: (file: string) => string,
    readonly cache: MdxParseCache,
    /** Tolerant: what fails validation becomes a warning and is mended or left out. */
    private readonly tolerant: boolean,
  ) {}

  /** An error for our own content; a warning for a site checkout, which is read as far as it can be. */
  private problem(issue: Omit<ContentIssue, "severity">): void {
    this.issues.push({ ...issue, severity: this.tolerant ? "warning" : "error" });
  }

  /**
   * Validates one record; in tolerant mode a failing field is mended (a count written "70B") or
   * dropped, each with a warning naming file, record and field, and a record that loses its identity
   * or a required field is skipped.
   */
  private record<S extends z.ZodType>(
    file: string,
    path: (string | number)[],
    row: unknown,
    schema: S,
  ): z.output<S> | undefined {
    const first = schema.safeParse(row);
    if (first.success) return first.data;
    if (!this.tolerant || typeof row !== "object" || row === null) {
      this.issues.push(...issuesFromZod(this.display(file), first.error, path));
      return undefined;
    }
    const draft: Record<string, unknown> = { ...(row as Record<string, unknown>) };
    const where = (field: string) => formatRecordPath([...path, field]);
    let result: ReturnType<typeof schema.safeParse> = first;
    for (let round = 0; round < 20 && !result.success; round++) {
      const fields = [...new Set(result.error.issues.map((issue) => issue.path[0]))].filter(
        (field): field is string => typeof field === "string",
      );
      const required = fields.find((field) => IDENTITY_FIELDS.has(field) || draft[field] === undefined);
      if (required || fields.length === 0) {
        this.salvage.skippedRecords++;
        this.issues.push({
          severity: "warning",
          file: this.display(file),
          path: formatRecordPath(path),
          message: `record skipped: ${required ? `"${required}" is missing or invalid` : "it does not validate"}`,
        });
        return undefined;
      }
      for (const field of fields) {
        const mended = mendValue(field, draft[field]);
        if (mended !== undefined) {
          this.salvage.coercedFields++;
          this.issues.push({
            severity: "warning",
            file: this.display(file),
            path: where(field),
            message: `read ${JSON.stringify(draft[field])} as ${mended}`,
          });
          draft[field] = mended;
        } else if (!dropsCleanly(schema, draft, field)) {
          // A required field that does not validate: the record cannot stand without it.
          this.salvage.skippedRecords++;
          this.issues.push({
            severity: "warning",
            file: this.display(file),
            path: formatRecordPath(path),
            message: `record skipped: "${field}" is missing or invalid`,
          });
          return undefined;
        } else {
          this.salvage.droppedFields++;
          this.issues.push({
            severity: "warning",
            file: this.display(file),
            path: where(field),
            message: `field dropped: ${JSON.stringify(draft[field])?.slice(0, 60)} does not validate`,
          });
          delete draft[field];
        }
      }
      result = schema.safeParse(draft);
    }
    return result.success ? result.data : undefined;
  }

  private read(file: string, optional = false): string | undefined {
    if (!existsSync(file)) {
      if (!optional) this.problem({ file: this.display(file), message: "file not found" });
      return undefined;
    }
    return readFileSync(file, "utf8");
  }

  private list(dir: string, extension: string, optional = false): string[] {
    if (!existsSync(dir)) {
      if (!optional) this.problem({ file: this.display(dir), message: "directory not found" });
      return [];
    }
    return readdirSync(dir)
      .filter((name) => name.endsWith(extension))
      .sort()
      .map((name) => join(dir, name));
  }

  private parseYaml(file: string, text: string): unknown {
    try {
      return parseYaml(text);
    } catch (error) {
      this.problem({ file: this.display(file), message: `invalid YAML: ${messageOf(error)}` });
      return undefined;
    }
  }

  yamlFile<S extends z.ZodType>(file: string, schema: S): z.output<S> | undefined {
    const text = this.read(file);
    if (text === undefined) return undefined;
    const data = this.parseYaml(file, text);
    if (data === undefined) return undefined;
    return this.record(file, [], data, schema);
  }

  /** A file holding one list: each row is validated on its own so one bad row names itself. */
  yamlRows<S extends z.ZodType>(file: string, key: string, schema: S, { optional = false } = {}): z.output<S>[] {
    const text = this.read(file, optional);
    if (text === undefined) return [];
    const data = this.parseYaml(file, text) as Record<string, unknown> | undefined;
    const rows = data?.[key];
    if (!Array.isArray(rows)) {
      if (data !== undefined) this.problem({ file: this.display(file), path: key, message: "expected a list" });
      return [];
    }
    return rows.flatMap((row, index) => {
      const value = this.record(file, [key, index], row, schema);
      return value === undefined ? [] : [value];
    });
  }

  yamlDir<S extends z.ZodType>(dir: string, schema: S): z.output<S>[] {
    return this.list(dir, ".yaml").flatMap((file) => {
      const value = this.yamlFile(file, schema);
      if (value === undefined) return [];
      const id = (value as { id?: string }).id;
      if (id !== undefined && id !== basename(file, ".yaml")) {
        this.issues.push({
          severity: "error",
          file: this.display(file),
          path: "id",
          message: `id "${id}" does not match the file name`,
        });
      }
      return [value];
    });
  }

  mdxDir<S extends z.ZodType>(dir: string, schema: S, { optional = false } = {}): MdxDocument<z.output<S>>[] {
    return this.list(dir, ".mdx", optional).flatMap((file) => {
      const text = this.read(file);
      if (text === undefined) return [];
      let parsed: ParsedMdx;
      let frontMatter: unknown;
      try {
        parsed = this.cache.parse(text);
      } catch (error) {
        this.problem({ file: this.display(file), message: `invalid MDX: ${messageOf(error)}` });
        return [];
      }
      try {
        frontMatter = parseYaml(parsed.frontMatterSource) ?? {};
      } catch (error) {
        this.problem({ file: this.display(file), message: `invalid YAML in front matter: ${messageOf(error)}` });
        return [];
      }
      const frontMatterValue = this.record(file, ["front matter"], frontMatter, schema);
      if (frontMatterValue === undefined) return [];
      if (!parsed.sections.some((section) => section.blocks.length > 0)) {
        this.problem({ file: this.display(file), path: "body", message: "the body is empty" });
        return [];
      }
      return [
        {
          slug: basename(file, ".mdx"),
          file: this.display(file),
          frontMatter: frontMatterValue,
          sections: parsed.sections,
        },
      ];
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
}

/**
 * A value the site wrote in another form than the schema's, mended: a count with a unit ("70B",
 * "1.5T", "8x7B", "350M") becomes a number of parameters; an openness spelled another way ("open
 * weights", "closed") its canonical word; a glossary summary over the word limit its first sentence.
 * Undefined when there is nothing to mend.
 */
export function mendValue(field: string, value: unknown): number | string | undefined {
  if (typeof value !== "string") return undefined;
  if (field === "openness")
    return OPENNESS_SPELLINGS[
      value
        .trim()
        .toLowerCase()
        .replace(/[\s_]+/g, "-")
    ];
  if (field === "summary") {
    const first = /^(.+?[.!?])(\s|$)/.exec(value.trim())?.[1];
    return first && first.split(/\s+/).length <= 30 && first !== value.trim() ? first : undefined;
  }
  const match = /^\s*(?:(\d+)\s*x\s*)?(\d+(?:\.\d+)?)\s*([kmbt])\b/i.exec(value);
  if (!match) return undefined;
  const scale = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[match[3]!.toLowerCase() as "k" | "m" | "b" | "t"];
  return Math.round(Number(match[1] ?? 1) * Number(match[2]) * scale);
}

const OPENNESS_SPELLINGS: Record<string, string> = {
  open: "open",
  "open-weights": "open-weights",
  proprietary: "proprietary",
  "open-weight": "open-weights",
  openweights: "open-weights",
  "weights-open": "open-weights",
  "source-available": "source-available",
  sourceavailable: "source-available",
  closed: "proprietary",
  "closed-source": "proprietary",
  "api-only": "proprietary",
  api: "proprietary",
  "open-source": "open",
  opensource: "open",
};

function formatRecordPath(parts: (string | number)[]): string {
  return parts.map((part, index) => (typeof part === "number" ? `[${part}]` : index ? `.${part}` : part)).join("");
}

/** Whether the record validates on that field once the field is left out (it is optional). */
function dropsCleanly(schema: z.ZodType, draft: Record<string, unknown>, field: string): boolean {
  const { [field]: _left, ...rest } = draft;
  const result = schema.safeParse(rest);
  return result.success || !result.error.issues.some((issue) => issue.path[0] === field);
}
