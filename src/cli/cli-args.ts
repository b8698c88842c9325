import { type ParseArgsConfig, parseArgs } from "node:util";

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/**
 * Reads a command's flags the one way every npm script does: an unknown or malformed flag, or
 * `--help`, prints the usage instead of a stack trace. Returns the exit code to use when it did.
 */
export function readCliArgs<T extends ParseArgsConfig>(config: T, usage: string): Parsed<T> | { exitCode: number } {
  const withHelp = { ...config, options: { ...config.options, help: { type: "boolean" as const } } };
  try {
    const parsed = parseArgs(withHelp) as Parsed<T> & { values: { help?: boolean } };
    if (parsed.values.help) {
      console.log(usage);
      return { exitCode: 0 };
    }
    return parsed;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return { exitCode: 2 };
  }
}
