import { UserFacingError } from "../answers/user-facing-error.ts";
import type { CommandContext, CommandModule, CommandResult, CommandServices } from "./definition.ts";
import { parseOptions, type RawOptions } from "./options.ts";
import { requireServices } from "./services.ts";

// biome-ignore lint/suspicious/noExplicitAny: routing works on modules of any option type
type Registry = ReadonlyMap<string, CommandModule<any, any>>;

/** Finds the command, gives it the services it declared, checks its options against its definition, and runs it. */
export async function runCommand(
  registry: Registry,
  context: CommandContext,
  name: string,
  raw: RawOptions,
  provided: Partial<CommandServices> = {},
): Promise<CommandResult> {
  const module = registry.get(name);
  if (!module) throw new UserFacingError(`There is no command /${name}. Try /help.`);
  const services = requireServices(module, provided);
  return module.run({ ...context, services }, parseOptions(module.definition, raw));
}
