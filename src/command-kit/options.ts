import { ApplicationCommandOptionType } from "discord-api-types/v10";
import { UserFacingError } from "../answers/user-facing-error.ts";
import type { CommandDefinition, OptionDefinition, OptionsOf } from "./definition.ts";

/** Raw option values as they arrive (from Discord or from a terminal command line), by name. */
export type RawOptions = Record<string, unknown> & { subcommand?: string };

/** Longest text we accept in any option; more is refused before any work is done. */
const MAX_TEXT = 6000;

/**
 * Checks raw values against a command's definition and returns them typed: required options are
 * present, booleans are booleans, numbers are numbers, ids are ids. Problems are user-facing.
 */
export function parseOptions<D extends CommandDefinition>(definition: D, raw: RawOptions): OptionsOf<D> {
  let options: readonly OptionDefinition[] = definition.options ?? [];
  const parsed: Record<string, unknown> = {};
  const subcommands = options.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
  if (subcommands.length > 0) {
    const chosen = subcommands.find((option) => option.name === raw.subcommand);
    if (!chosen) {
      throw new UserFacingError(
        `/${definition.name} needs one of: ${subcommands.map((option) => option.name).join(", ")}.`,
      );
    }
    parsed.subcommand = chosen.name;
    options = chosen.options ?? [];
  }
  for (const option of options) {
    const value = raw[option.name];
    if (value === undefined || value === null || value === "") {
      if (option.required) throw new UserFacingError(`/${definition.name} needs the option \`${option.name}\`.`);
      continue;
    }
    parsed[option.name] = coerce(definition.name, option, value);
  }
  return parsed as OptionsOf<D>;
}

function coerce(command: string, option: OptionDefinition, value: unknown): unknown {
  const fail = (expected: string): never => {
    throw new UserFacingError(`/${command}: \`${option.name}\` should be ${expected}.`);
  };
  switch (option.type) {
    case ApplicationCommandOptionType.Boolean:
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false|yes|no)$/i.test(value)) return /^(true|yes)$/i.test(value);
      return fail("true or false");
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const number = typeof value === "number" ? value : Number(value);
      if (!Number.isFinite(number)) return fail("a number");
      return number;
    }
    case ApplicationCommandOptionType.User:
    case ApplicationCommandOptionType.Channel:
    case ApplicationCommandOptionType.Role:
    case ApplicationCommandOptionType.Mentionable: {
      const id = String(value).replace(/^<[@#][!&]?(\d+)>$/, "$1");
      if (!/^\d{15,21}$/.test(id)) return fail("a mention or an id");
      return id;
    }
    default: {
      // Discord caps what people type at the option's maximum, but nothing should rely on it.
      const text = String(value).slice(0, option.max_length ?? MAX_TEXT);
      if (option.choices && !option.choices.some((choice) => String(choice.value) === text)) {
        return fail(`one of: ${option.choices.map((choice) => choice.value).join(", ")}`);
      }
      return text;
    }
  }
}

/** The longest text an option takes: autocomplete input is cut to it before any search. */
export function maxLengthOf(definition: CommandDefinition, optionName: string): number {
  const all = (definition.options ?? []).flatMap((option) =>
    option.type === ApplicationCommandOptionType.Subcommand ? (option.options ?? []) : [option],
  );
  return all.find((option) => option.name === optionName)?.max_length ?? AUTOCOMPLETE_MAX;
}

/** Discord's own cap on a string option. */
const AUTOCOMPLETE_MAX = 100;
