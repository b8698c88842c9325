import { LIMITS } from "./limits.ts";

/**
 * Component custom ids carry everything needed to answer a click, so they still work after a
 * restart: the command to run, whether the answer is private, and the entry id to look up.
 * Format: `<command>:<p|e>:<entry id>[:<view>]`; a select menu leaves the id empty and sends it as
 * its value. The view names a detail of the entry ("clauses"), for commands that have one.
 */
export interface ComponentAction {
  command: string;
  ephemeral: boolean;
  entryId: string;
  view?: string | undefined;
}

export function encodeCustomId({ command, ephemeral, entryId, view }: ComponentAction): string {
  return `${command}:${ephemeral ? "e" : "p"}:${entryId}${view ? `:${view}` : ""}`.slice(0, LIMITS.customId);
}

/** Whether an action's id fits whole: a cut id would open nothing, so its button is better left out. */
export function fitsCustomId(action: ComponentAction): boolean {
  const { command, entryId, view } = action;
  return `${command}:e:${entryId}${view ? `:${view}` : ""}`.length <= LIMITS.customId;
}

export function decodeCustomId(customId: string): ComponentAction | null {
  const match = /^([a-z][\w-]*):([pe]):([^:]*)(?::([a-z][\w-]*))?$/.exec(customId);
  if (!match) return null;
  return {
    command: match[1]!,
    ephemeral: match[2] === "e",
    entryId: match[3]!,
    ...(match[4] ? { view: match[4] } : {}),
  };
}
