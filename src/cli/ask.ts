import { readFileSync } from "node:fs";
import { commandModules, createRegistry } from "../../commands/index.ts";
import type { Knowledge } from "../answers/types.ts";
import { UserFacingError } from "../answers/user-facing-error.ts";
import { runCommand } from "../command-kit/execute.ts";
import { standaloneContext } from "../command-kit/standalone-context.ts";
import { readContentConfig } from "../config.ts";
import { formatIssue } from "../content/issues.ts";
import { loadKnowledge } from "../load/knowledge-loader.ts";
import { notice, type ReplyPayload } from "../payloads/reply.ts";
import { resolveContent } from "../sync/content-source.ts";
import { readCliArgs } from "./cli-args.ts";
import { CommandLineError, parseCommandLine } from "./command-line.ts";
import { payloadToText } from "./text-render.ts";

const USAGE = `Usage: npm run -s ask -- [--json] [--content DIR] "/license llama"
       npm run -s ask -- [--json] [--content DIR] --batch FILE   (FILE "-" reads standard input)
       npm run -s ask -- [--json] --message "a message's text"      ("Explain with Stackbot" on it)`;

const registry = createRegistry();
const definitions = new Map(commandModules.map((module) => [module.definition.name, module.definition]));

type LineResult = { payload: ReplyPayload } | { error: string };

/** The message command on a message's text, as the "Apps" menu runs it. */
export async function explainMessage(knowledge: Knowledge, text: string): Promise<LineResult> {
  const context = standaloneContext(knowledge, {
    guildId: null,
    channelId: null,
    targetMessage: { id: "0", content: text, authorId: "0" },
  });
  return { payload: (await runCommand(registry, context, "Explain with Stackbot", {})).reply };
}

/** Runs one command line; a line that cannot run yields an error, never an exception. */
export async function runLine(knowledge: Knowledge, line: string): Promise<LineResult> {
  try {
    const { name, raw } = parseCommandLine(line, definitions);
    return {
      payload: (await runCommand(registry, standaloneContext(knowledge, { guildId: null, channelId: null }), name, raw))
        .reply,
    };
  } catch (error) {
    if (error instanceof CommandLineError || error instanceof UserFacingError) return { error: error.message };
    throw error;
  }
}

function format(result: LineResult, json: boolean, batch: boolean): string {
  if ("error" in result)
    return json || batch ? JSON.stringify({ error: result.error }) : payloadToText(notice(result.error));
  if (json) return JSON.stringify(result.payload, null, batch ? undefined : 2);
  return batch ? JSON.stringify(payloadToText(result.payload)) : payloadToText(result.payload);
}

async function main(): Promise<number> {
  const args = readCliArgs(
    {
      options: {
        json: { type: "boolean", default: false },
        content: { type: "string" },
        batch: { type: "string" },
        message: { type: "string" },
      },
      allowPositionals: true,
    },
    USAGE,
  );
  if ("exitCode" in args) return args.exitCode;
  const { values, positionals } = args;
  if (!values.batch && values.message === undefined && positionals.length === 0) {
    console.log(USAGE);
    return 2;
  }
  const contentDir = values.content ?? resolveContent(readContentConfig()).dir;
  const loaded = loadKnowledge(contentDir);
  if (!loaded.knowledge) {
    for (const issue of loaded.errors) console.error(formatIssue(issue));
    console.error(`The content has ${loaded.errors.length} error(s); run npm run content:check for details.`);
    return 1;
  }
  const { knowledge } = loaded;
  if (values.message !== undefined) {
    console.log(format(await explainMessage(knowledge, values.message), values.json, false));
    return 0;
  }
  if (values.batch !== undefined) {
    const text = readFileSync(values.batch === "-" ? 0 : values.batch, "utf8");
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      console.log(format(await runLine(knowledge, line), values.json, true));
    }
    return 0;
  }
  const result = await runLine(knowledge, positionals.join(" "));
  console.log(format(result, values.json, false));
  return "error" in result ? 2 : 0;
}

process.exitCode = await main();
