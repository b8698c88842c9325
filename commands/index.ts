import type { CommandModule } from "../src/command-kit/definition.ts";
import ask from "./ask.ts";
import autoanswer from "./autoanswer.ts";
import compare from "./compare.ts";
import digest from "./digest.ts";
import explain from "./explain.ts";
import family from "./family.ts";
import fit from "./fit.ts";
import gaps from "./gaps.ts";
import help from "./help.ts";
import license from "./license.ts";
import reload from "./reload.ts";
import term from "./term.ts";

// Each module's options are typed from its own definition; the registry only routes by name.
// biome-ignore lint/suspicious/noExplicitAny: the registry erases each module's option types
export type AnyCommand = CommandModule<any, any>;

export const commandModules: readonly AnyCommand[] = [
  license,
  family,
  term,
  ask,
  compare,
  fit,
  help,
  explain,
  reload,
  digest,
  autoanswer,
  gaps,
];

/** Routes interactions by command name. */
export function createRegistry(modules: readonly AnyCommand[] = commandModules): ReadonlyMap<string, AnyCommand> {
  return new Map(modules.map((module) => [module.definition.name, module]));
}
