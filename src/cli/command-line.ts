import { ApplicationCommandOptionType } from "discord-api-types/v10";
import type { CommandDefinition, OptionDefinition } from "../command-kit/definition.ts";
import type { RawOptions } from "../command-kit/options.ts";
import { editDistanceWithin } from "../search/edit-distance.ts";

export class CommandLineError extends Error {
  override readonly name = "CommandLineError";
}

export interface ParsedCommandLine {
  name: string;
  raw: RawOptions;
}

/**
 * Reads a command line written as in Discord: `/compare first:llama second:qwen`. The first option's
 * name may be left out (`/license llama`, `/ask is olmo fully open`); a subcommand comes right after
 * the command (`/digest set channel:...`). A line with no leading slash is asked with `/ask`.
 */
export function parseCommandLine(line: string, definitions: ReadonlyMap<string, CommandDefinition>): ParsedCommandLine {
  if (!line.trim()) throw new CommandLineError("empty command line");
  // A line without a leading slash is a question, as a member would type it: "what is gguf".
  if (!line.trim().startsWith("/") && definitions.has("ask")) {
    const ask = definitions.get("ask")!;
    return withinLimits("ask", ask.options ?? [], { question: line.trim() });
  }
  const match = /^\s*\/([\w-]+)\s*(.*)$/s.exec(line);
  if (!match) throw new CommandLineError("a command starts with /");
  const name = match[1]!.toLowerCase();
  let rest = match[2]!.trim();
  const definition = definitions.get(name);
  if (!definition) {
    // "/licnese": the nearest command name, as Discord's own picker would have offered it.
    const near = [...definitions.keys()].find((known) => editDistanceWithin(name, known, 2) !== null);
    throw new CommandLineError(`unknown command /${name}${near ? `; did you mean /${near}?` : ""}`);
  }

  const raw: RawOptions = {};
  let options: readonly OptionDefinition[] = definition.options ?? [];
  const subcommands = options.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
  if (subcommands.length > 0) {
    const [word = "", ...others] = rest.split(/\s+/);
    const chosen = subcommands.find((option) => option.name === word.toLowerCase());
    if (!chosen)
      throw new CommandLineError(`/${name} needs a subcommand: ${subcommands.map((option) => option.name).join(", ")}`);
    raw.subcommand = chosen.name;
    options = chosen.options ?? [];
    rest = others.join(" ");
  }

  const names = options.map((option) => option.name);
  const marker = names.length ? new RegExp(`(?:^|\\s)(${names.map(escapeRegExp).join("|")}):`, "g") : null;
  const starts = marker ? [...rest.matchAll(marker)] : [];
  const leading = (starts[0] ? rest.slice(0, starts[0].index) : rest).trim();
  if (leading) {
    const first = options[0];
    if (!first) throw new CommandLineError(`/${name} takes no options`);
    raw[first.name] = unquote(leading);
  }
  starts.forEach((start, index) => {
    const valueStart = (start.index ?? 0) + start[0].length;
    const valueEnd = starts[index + 1]?.index ?? rest.length;
    raw[start[1]!] = unquote(rest.slice(valueStart, valueEnd).trim());
  });
  return withinLimits(name, options, raw);
}

/** The preview refuses what Discord's client would refuse: text longer than an option's maximum. */
function withinLimits(name: string, options: readonly OptionDefinition[], raw: RawOptions): ParsedCommandLine {
  for (const option of options) {
    const value = raw[option.name];
    if (typeof value === "string" && option.max_length !== undefined && value.length > option.max_length) {
      throw new CommandLineError(
        `/${name} ${option.name}: ${value.length} characters, but Discord takes at most ${option.max_length}; shorten it`,
      );
    }
  }
  return { name, raw };
}

function unquote(text: string): string {
  const quoted = /^(["'])(.*)\1$/s.exec(text);
  return quoted ? quoted[2]! : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
