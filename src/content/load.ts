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
  type LayerFrontMatter,
  type LayerListItem,
  type LicenceFile,
  layerFrontMatter,
  layersFile,
  licenceSchema,
  type ModelRow,
  modelSchema,
  type NewsFrontMatter,
  newsFrontMatter,
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
  news: MdxDocument<NewsFrontMatter>[];
  projects: Project[];
  models: ModelRow[];
  licences: LicenceFile[];
  families: FamilyFile[];
  issues: ContentIssue[];
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
  const reader = new Reader(
    issues,
    display,
    new MdxParseCache(options.cacheFile === undefined ? DEFAULT_CACHE_FILE : options.cacheFile),
  );

  const layerListFile = reader.yamlFile(join(dataRoot, "layers.yaml"), layersFile);
  const projects = reader.yamlRows(join(dataRoot, "projects.yaml"), "projects", projectSchema);
  const models = reader.yamlRows(join(dataRoot, "models.yaml"), "models", modelSchema);

  const layers = reader.mdxDir(join(mdxRoot, "layers"), layerFrontMatter);
  const glossary = reader.mdxDir(join(mdxRoot, "glossary"), glossaryFrontMatter);
  const news = reader.mdxDir(join(mdxRoot, "news"), newsFrontMatter, { optional: true });
  reader.cache.save();

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
    news,
    projects,
    models,
    licences: reader.yamlDir(join(registryDir, "licenses"), licenceSchema),
    families: reader.yamlDir(join(registryDir, "families"), familySchema),
    issues,
  };
}

class Reader {
  constructor(
    private readonly issues: ContentIssue[],
    private readonly display: (file: string) => string,
    readonly cache: MdxParseCache,
  ) {}

  private read(file: string, optional = false): string | undefined {
    if (!existsSync(file)) {
      if (!optional)
        this.issues.push({
          severity: "error",
          file: this.display(file),
          message: "file not found",
        });
      return undefined;
    }
    return readFileSync(file, "utf8");
  }

  private list(dir: string, extension: string, optional = false): string[] {
    if (!existsSync(dir)) {
      if (!optional)
        this.issues.push({
          severity: "error",
          file: this.display(dir),
          message: "directory not found",
        });
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
      this.issues.push({
        severity: "error",
        file: this.display(file),
        message: `invalid YAML: ${messageOf(error)}`,
      });
      return undefined;
    }
  }

  yamlFile<S extends z.ZodType>(file: string, schema: S): z.output<S> | undefined {
    const text = this.read(file);
    if (text === undefined) return undefined;
    const data = this.parseYaml(file, text);
    if (data === undefined) return undefined;
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    this.issues.push(...issuesFromZod(this.display(file), result.error));
    return undefined;
  }

  /** A file holding one list: each row is validated on its own so one bad row names itself. */
  yamlRows<S extends z.ZodType>(file: string, key: string, schema: S): z.output<S>[] {
    const text = this.read(file);
    if (text === undefined) return [];
    const data = this.parseYaml(file, text) as Record<string, unknown> | undefined;
    const rows = data?.[key];
    if (!Array.isArray(rows)) {
      if (data !== undefined) {
        this.issues.push({
          severity: "error",
          file: this.display(file),
          path: key,
          message: "expected a list",
        });
      }
      return [];
    }
    return rows.flatMap((row, index) => {
      const result = schema.safeParse(row);
      if (result.success) return [result.data];
      this.issues.push(...issuesFromZod(this.display(file), result.error, [key, index]));
      return [];
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
        this.issues.push({
          severity: "error",
          file: this.display(file),
          message: `invalid MDX: ${messageOf(error)}`,
        });
        return [];
      }
      try {
        frontMatter = parseYaml(parsed.frontMatterSource) ?? {};
      } catch (error) {
        this.issues.push({
          severity: "error",
          file: this.display(file),
          message: `invalid YAML in front matter: ${messageOf(error)}`,
        });
        return [];
      }
      const result = schema.safeParse(frontMatter);
      if (!result.success) {
        this.issues.push(...issuesFromZod(this.display(file), result.error, ["front matter"]));
        return [];
      }
      if (!parsed.sections.some((section) => section.blocks.length > 0)) {
        this.issues.push({
          severity: "error",
          file: this.display(file),
          path: "body",
          message: "the body is empty",
        });
        return [];
      }
      return [
        {
          slug: basename(file, ".mdx"),
          file: this.display(file),
          frontMatter: result.data,
          sections: parsed.sections,
        },
      ];
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
}
