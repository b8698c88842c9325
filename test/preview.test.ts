import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { commandModules } from "../commands/index.ts";
import { parseCommandLine } from "../src/cli/command-line.ts";

const run = promisify(execFile);
const definitions = new Map(commandModules.map((module) => [module.definition.name, module.definition]));
const ask = (args: string[], input?: string) => {
  const child = run("npx", ["tsx", "src/cli/ask.ts", ...args], { cwd: new URL("..", import.meta.url).pathname });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child;
};

describe("command lines written as in Discord", () => {
  it.each([
    ["/license llama", { name: "license", raw: { name: "llama" } }],
    ["/compare first:llama second:qwen", { name: "compare", raw: { first: "llama", second: "qwen" } }],
    ["/compare llama second:qwen", { name: "compare", raw: { first: "llama", second: "qwen" } }],
    ["/ask is olmo fully open", { name: "ask", raw: { question: "is olmo fully open" } }],
    ["/ask question:what is moe thread:true", { name: "ask", raw: { question: "what is moe", thread: "true" } }],
    ['/term name:"open weights" hide:true', { name: "term", raw: { name: "open weights", hide: "true" } }],
  ])("%s", (line, expected) => {
    expect(parseCommandLine(line, definitions)).toEqual(expected);
  });

  it("a line without a slash is a question for /ask", () => {
    expect(parseCommandLine("what is gguf", definitions)).toEqual({ name: "ask", raw: { question: "what is gguf" } });
  });

  it("an unknown command is an error, with the nearest command offered", () => {
    expect(() => parseCommandLine("/nope x", definitions)).toThrow(/unknown command/);
    expect(() => parseCommandLine("/licnese llama", definitions)).toThrow(
      /unknown command \/licnese; did you mean \/license\?/,
    );
  });

  it("text longer than the option allows is refused, as Discord's client would", () => {
    const long = "is llama open source? ".repeat(250);
    expect(() => parseCommandLine(`/ask ${long}`, definitions)).toThrow(
      /question: \d+ characters, but Discord takes at most 500/,
    );
    expect(() => parseCommandLine(long, definitions)).toThrow(/at most 500/);
  });
});

describe("npm run ask", () => {
  it("prints the answer readably", async () => {
    const { stdout } = await ask(["/license llama3.1"]);
    expect(stdout).toContain("Llama 3.1");
    expect(stdout).toContain("700 million");
  });

  it("--json prints exactly the payload", async () => {
    const { stdout } = await ask(["--json", "/term moe"]);
    const payload = JSON.parse(stdout);
    expect(payload.embeds[0].title).toBe("Mixture of experts");
    expect(payload.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
  });

  it("shows the new answer shapes: a clause verdict, a list, an honest don't-know, a detail view", async () => {
    const { stdout } = await ask(
      ["--batch", "-", "--json"],
      "may I train another model on Llama 2 outputs?\nwhich families release their training data?\nwhat's the weather in Paris?\n/license llama-3.1 details:clauses\n",
    );
    const [clause, list, unknown, clauses] = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(clause.embeds[0].description).toMatch(/^⛔ \*\*No/);
    expect(list.embeds[0].title).toMatch(/^2 families/);
    expect(unknown.content).toMatch(/outside what I know/);
    expect(clauses.embeds[0].fields).toHaveLength(12);
  });

  it("exits 0 when nothing matches", async () => {
    const { stdout } = await ask(["/term zzqx blorf"]);
    expect(stdout).toContain("I found no glossary term");
  });

  it("--batch - reads standard input and answers one line per line, in order, errors in place", async () => {
    const { stdout } = await ask(["--batch", "-", "--json"], "/term moe\n/nope x\n/license\n\n/family qwen\n");
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines[0].embeds[0].title).toBe("Mixture of experts");
    expect(lines[1]).toEqual({ error: "unknown command /nope" });
    expect(lines[2]).toEqual({ error: "/license needs the option `name`." });
    expect(lines[3].embeds[0].title).toBe("Qwen");
  });
});

describe("npm run ask --message", () => {
  it("shows what Explain with Stackbot answers on a message", async () => {
    const { stdout } = await ask(["--json", "--message", "is Llama 3 open source? we use LoRA"]);
    const payload = JSON.parse(stdout);
    expect(payload.flags).toBe(64);
    expect(payload.embeds[0].title).toBe("What this message mentions (2)");
  });
});
