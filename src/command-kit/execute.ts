import { UserFacingError } from "../answers/user-facing-error.ts";
import type { CommandContext, CommandModule, CommandResult } from "./definition.ts";
import { parseOptions, type RawOptions } from "./options.ts";

// biome-ignore lint/suspicious/noExplicitAny: routing works on modules of any option type
type Registry = ReadonlyMap<string, CommandModule<any>>;

/** Finds the command, checks its options against its definition, and runs it. */
export async function runCommand(
  registry: Registry,
  context: CommandContext,
  name: string,
  raw: RawOptions,
): Promise<CommandResult> {
  const module = registry.get(name);
  if (!module) throw new UserFacingError(`There is no command /${name}. Try /help.`);
  return module.run(context, parseOptions(module.definition, raw));
}
