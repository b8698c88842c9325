import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseMdx } from "../src/content/mdx.ts";
import { BUNDLED_CONTENT_DIR, loadKnowledge } from "../src/load/knowledge-loader.ts";
import { copyOfContent } from "./helpers/content-fixture.ts";

describe("the bundled content", () => {
  const loaded = loadKnowledge();

  it("loads with no errors", () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.knowledge).not.toBeNull();
  });

  it("has what the module and the registries promise", () => {
    const kb = loaded.knowledge!.kb;
    expect(kb.terms.size).toBeGreaterThanOrEqual(60);
    expect(kb.licences.size).toBeGreaterThanOrEqual(12);
    expect(kb.models.size).toBeGreaterThanOrEqual(30);
    expect(kb.layers.size).toBe(15);
    for (const family of [
      "qwen",
      "deepseek",
      "kimi",
      "glm",
      "llama",
      "mistral",
      "gemma",
      "olmo",
      "pythia",
      "gpt",
      "claude",
      "gemini",
    ]) {
      expect(kb.families.get(family)?.inRegistry, family).toBe(true);
    }
    expect(
      [...kb.sections.values()].filter((section) => section.layerSlug === "weights").map((s) => s.heading),
    ).toEqual([
      "Overview",
      "The license tiers",
      "The major families (2026)",
      "What's open and what isn't",
      "The editorial tension",
    ]);
  });

  it("gives every licence and family a source and a checked date", () => {
    const kb = loaded.knowledge!.kb;
    for (const licence of kb.licences.values()) {
      expect(licence.source.url, licence.id).toMatch(/^https:\/\//);
      expect(licence.checked, licence.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const family of [...kb.families.values()].filter((family) => family.inRegistry)) {
      expect(family.source?.url, family.id).toMatch(/^https:\/\//);
      expect(family.checked, family.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe("broken content is reported by file and field", () => {
  let fixture: ReturnType<typeof copyOfContent>;
  afterEach(() => fixture?.remove());

  const errorsAfter = (path: string, text: string) => {
    fixture = copyOfContent();
    fixture.write(path, text);
    return loadKnowledge(fixture.dir, fixture.dir);
  };

  it("a glossary entry without a term", () => {
    const result = errorsAfter("glossary/broken.mdx", "---\nprimary_layer: weights\nsummary: short\n---\nBody text.\n");
    expect(result.knowledge).toBeNull();
    expect(result.errors).toContainEqual(
      expect.objectContaining({ file: expect.stringContaining("broken.mdx"), path: "front matter.term" }),
    );
  });

  it("a summary over 30 words", () => {
    const long = Array.from({ length: 31 }, () => "word").join(" ");
    const result = errorsAfter(
      "glossary/long.mdx",
      `---\nterm: Long\nprimary_layer: weights\nsummary: ${long}\n---\nBody.\n`,
    );
    expect(result.errors).toContainEqual(
      expect.objectContaining({ path: "front matter.summary", message: "summary is longer than 30 words" }),
    );
  });

  it("a primary layer that is not one of the 15", () => {
    const result = errorsAfter("glossary/layer.mdx", "---\nterm: X\nprimary_layer: cooking\nsummary: s\n---\nBody.\n");
    expect(result.errors).toContainEqual(expect.objectContaining({ path: "front matter.primary_layer" }));
  });

  it("invalid MDX", () => {
    const result = errorsAfter(
      "glossary/mdx.mdx",
      '---\nterm: X\nprimary_layer: weights\nsummary: s\n---\nA <G term="x">unclosed\n',
    );
    expect(result.errors).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/^invalid MDX/) }));
  });

  it("invalid YAML in a registry", () => {
    const result = errorsAfter("licenses/mit.yaml", "id: mit\nname: [unclosed\n");
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        file: expect.stringContaining("mit.yaml"),
        message: expect.stringMatching(/^invalid YAML/),
      }),
    );
  });

  it("a bad model row names its index and field, and the other rows still load", () => {
    fixture = copyOfContent();
    const models = readFileSync(join(fixture.dir, "data/models.yaml"), "utf8");
    fixture.write("data/models.yaml", models.replace(/released_date: '(\d{4})-\d{2}-\d{2}'/, "released_date: 'soon'"));
    const result = loadKnowledge(fixture.dir);
    expect(result.errors).toContainEqual(
      expect.objectContaining({ path: expect.stringMatching(/^models\[\d+\]\.released_date$/) }),
    );
  });

  it("a licence whose id does not match its file name", () => {
    fixture = copyOfContent();
    const mit = readFileSync(join(fixture.dir, "licenses/mit.yaml"), "utf8");
    fixture.write("licenses/mit.yaml", mit.replace(/^id: mit$/m, "id: mit-x"));
    expect(loadKnowledge(fixture.dir, fixture.dir).errors).toContainEqual(expect.objectContaining({ path: "id" }));
  });

  it("a family naming an unknown licence", () => {
    fixture = copyOfContent();
    const olmo = readFileSync(join(fixture.dir, "families/olmo.yaml"), "utf8");
    fixture.write("families/olmo.yaml", olmo.replace(/license: apache-2.0/, "license: apache-9"));
    const result = loadKnowledge(fixture.dir, fixture.dir);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        file: "families/olmo.yaml",
        path: "licenses[0].license",
        message: 'unknown licence id "apache-9"',
      }),
    );
  });

  it("unknown fields are ignored, never rejected", () => {
    const result = errorsAfter(
      "glossary/extra.mdx",
      '---\nterm: Extra field\nprimary_layer: weights\nsummary: fine\nbrand_new_field: 42\n---\nBody with a <G term="moe">link</G>.\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.knowledge?.kb.terms.get("extra")?.related).toContain("mixture-of-experts");
  });

  it("warns about a link to a missing term", () => {
    const result = errorsAfter(
      "glossary/dangling.mdx",
      '---\nterm: Dangling\nprimary_layer: weights\nsummary: s\n---\nSee <G term="no-such-term">this</G>.\n',
    );
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('"no-such-term"') }),
    );
  });
});

describe("the site's layout", () => {
  it("is detected from src/content and read the same way", () => {
    const root = mkdtempSync(join(tmpdir(), "stackbot-site-"));
    try {
      mkdirSync(join(root, "src", "content"), { recursive: true });
      for (const folder of ["layers", "glossary", "news"]) {
        cpSync(join(BUNDLED_CONTENT_DIR, folder), join(root, "src", "content", folder), { recursive: true });
      }
      cpSync(join(BUNDLED_CONTENT_DIR, "data"), join(root, "data"), { recursive: true });
      const result = loadKnowledge(root);
      expect(result.errors).toEqual([]);
      expect(result.knowledge?.kb.origin).toBe("site");
      expect(result.knowledge?.kb.terms.size).toBe(loadKnowledge().knowledge?.kb.terms.size);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("MDX bodies", () => {
  it("drop imports and standalone components, keep glossary links as text and as links", () => {
    const parsed = parseMdx(
      [
        "---",
        "title: T",
        "---",
        'import Chart from "../../components/Chart.astro";',
        "",
        'Intro with <G term="moe">experts</G> and **bold**.',
        "",
        "<Chart />",
        "",
        "## Second",
        "",
        "- one",
        "- two with [a link](https://example.org)",
      ].join("\n"),
    );
    expect(parsed.sections.map((section) => section.heading)).toEqual([null, "Second"]);
    expect(parsed.sections[0]?.blocks).toEqual(["Intro with experts and **bold**."]);
    expect(parsed.sections[1]?.blocks).toEqual(["• one\n• two with [a link](https://example.org)"]);
    expect(parsed.links).toEqual([{ term: "moe", label: "experts" }]);
  });
});
