import type { Nodes, Root, RootContent } from "mdast";
import remarkFrontmatter from "remark-frontmatter";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";

/** A glossary link found in a body: `<G term="slug-or-alias">label</G>`. */
export interface GlossaryLink {
  term: string;
  label: string;
}

/** A run of body text under one `##` heading (the text before the first heading has `heading: null`). */
export interface MdxSection {
  heading: string | null;
  /** Discord-flavoured Markdown, one entry per block (paragraph, list, table). */
  blocks: string[];
  links: GlossaryLink[];
}

export interface ParsedMdx {
  /** The YAML between the `---` fences, unparsed (YAML dates would not survive a JSON cache). */
  frontMatterSource: string;
  sections: MdxSection[];
  links: GlossaryLink[];
}

const processor = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter, ["yaml"]);

/** Parses an MDX file; throws (with the parser's position in the message) on invalid MDX or YAML. */
export function parseMdx(source: string): ParsedMdx {
  const tree = processor.parse(source) as Root;
  let frontMatterSource = "";
  const sections: MdxSection[] = [{ heading: null, blocks: [], links: [] }];
  for (const node of tree.children) {
    if (node.type === "yaml") {
      frontMatterSource = node.value;
      continue;
    }
    if (node.type === "heading" && node.depth === 2) {
      sections.push({
        heading: inlineText(node).trim(),
        blocks: [],
        links: [],
      });
      continue;
    }
    const current = sections[sections.length - 1] as MdxSection;
    const block = renderBlock(node, current.links);
    if (block) current.blocks.push(block);
  }
  const nonEmpty = sections.filter((section) => section.heading !== null || section.blocks.length > 0);
  return {
    frontMatterSource,
    sections: nonEmpty,
    links: nonEmpty.flatMap((section) => section.links),
  };
}

function renderBlock(node: RootContent, links: GlossaryLink[]): string {
  switch (node.type) {
    case "paragraph":
      return renderInline(node.children, links).trim();
    case "heading":
      return `**${renderInline(node.children, links).trim()}**`;
    case "list":
      return node.children
        .map((item, index) => {
          const marker = node.ordered ? `${(node.start ?? 1) + index}.` : "•";
          const text = item.children.map((child) => renderBlock(child, links)).filter(Boolean);
          return `${marker} ${text.join(" ")}`;
        })
        .join("\n");
    case "blockquote":
      return node.children
        .map((child) => renderBlock(child, links))
        .filter(Boolean)
        .map((text) => `> ${text}`)
        .join("\n");
    case "table":
      return node.children
        .map((row) => row.children.map((cell) => renderInline(cell.children, links).trim()).join(" | "))
        .join("\n");
    case "code":
      return `\`\`\`\n${node.value}\n\`\`\``;
    default:
      // Imports (mdxjsEsm), standalone components (<Chart />), html and thematic breaks are not text.
      return "";
  }
}

function renderInline(nodes: readonly Nodes[], links: GlossaryLink[]): string {
  return nodes.map((node) => renderInlineNode(node, links)).join("");
}

function renderInlineNode(node: Nodes, links: GlossaryLink[]): string {
  switch (node.type) {
    case "text":
      return node.value;
    case "strong":
      return `**${renderInline(node.children, links)}**`;
    case "emphasis":
      return `*${renderInline(node.children, links)}*`;
    case "delete":
      return `~~${renderInline(node.children, links)}~~`;
    case "inlineCode":
      return `\`${node.value}\``;
    case "break":
      return "\n";
    case "link": {
      const label = renderInline(node.children, links);
      return /^https?:\/\//.test(node.url) ? `[${label}](${node.url})` : label;
    }
    case "mdxJsxTextElement":
    case "mdxJsxFlowElement": {
      const label = renderInline(node.children as Nodes[], links);
      if (node.name === "G") {
        const term = node.attributes.find((attribute) => "name" in attribute && attribute.name === "term");
        if (term && typeof term.value === "string") links.push({ term: term.value, label: label.trim() });
      }
      return label;
    }
    default:
      return "children" in node ? renderInline(node.children as Nodes[], links) : "";
  }
}

function inlineText(node: Nodes): string {
  return renderInline("children" in node ? (node.children as Nodes[]) : [node], []);
}

/** Plain text of Discord Markdown, for search indexing. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`~>•|]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
