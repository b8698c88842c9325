import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "../src/config.ts";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const readme = read("README.md");

/** The rows of the Markdown table that follows a heading, as arrays of cells. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const section = readme.slice(start + heading.length + 5).split("\n## ")[0]!;
  return section
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .slice(2)
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe("the README and .env.example match the code", () => {
  it("the configuration table lists exactly the variables the configuration reads", () => {
    const documented = tableAfter("Configuration").map(([name]) => name!.replaceAll("`", ""));
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it(".env.example lists exactly the same variables", () => {
    const listed = read(".env.example")
      .split("\n")
      .map((line) => /^([A-Z_]+)=/.exec(line)?.[1])
      .filter(Boolean);
    expect([...listed].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it("the dependency table names every package in package.json, and nothing else", () => {
    const pkg = JSON.parse(read("package.json")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const installed = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];
    const named = tableAfter("Dependencies, and why").flatMap(([cell]) =>
      cell!
        .replace(/\s*\(dev\)$/, "")
        .replaceAll("\\", "")
        .split(",")
        .map((name) => name.trim()),
    );
    const covers = (name: string) =>
      named.some((entry) => entry === name || (entry.endsWith("/*") && name.startsWith(entry.slice(0, -1))));
    expect(installed.filter((name) => !covers(name))).toEqual([]);
    for (const entry of named) {
      const exists = entry.endsWith("/*")
        ? installed.some((name) => name.startsWith(entry.slice(0, -1)))
        : installed.includes(entry);
      expect(exists, entry).toBe(true);
    }
  });
});
