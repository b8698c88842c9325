import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The data's way through the program goes one way: each stage imports only the stages before it,
 * and nothing up to the Discord payloads imports discord.js.
 */
const STAGES = ["content", "knowledge", "search", "load", "understand", "answers", "payloads"] as const;
const SRC = resolve(import.meta.dirname, "..", "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((match) => match[1]!);
}

const stageOf = (file: string) => relative(SRC, file).split("/")[0]!;

describe("the stages import one way", () => {
  const files = STAGES.flatMap((stage) => sourceFiles(join(SRC, stage)));

  it("each stage imports only itself and the stages before it", () => {
    const backwards: string[] = [];
    for (const file of files) {
      const from = STAGES.indexOf(stageOf(file) as (typeof STAGES)[number]);
      for (const spec of importsOf(file).filter((target) => target.startsWith("."))) {
        const target = resolve(file, "..", spec);
        const stage = stageOf(target);
        const to = STAGES.indexOf(stage as (typeof STAGES)[number]);
        if (to === -1 || to > from) backwards.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(backwards).toEqual([]);
  });

  it("the payloads render the answers alone, never the knowledge, the search or the loading behind them", () => {
    // Types count too: a renderer that names a knowledge type is one step from looking something up.
    const behindAnswers = new Set(["knowledge", "search", "load"]);
    const reaching: string[] = [];
    for (const file of files.filter((each) => stageOf(each) === "payloads")) {
      const inline = [...readFileSync(file, "utf8").matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((match) => match[1]!);
      for (const spec of [...importsOf(file), ...inline].filter((target) => target.startsWith("."))) {
        const target = resolve(file, "..", spec);
        if (behindAnswers.has(stageOf(target))) reaching.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  it("nothing before the Discord runtime imports discord.js", () => {
    const offenders = files.filter((file) => importsOf(file).some((spec) => spec === "discord.js"));
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });
});
