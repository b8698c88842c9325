/**
 * The e2e traffic: about 70% autocomplete (prefixes of entry names) and 30% commands (the query
 * set's lines, /ask included, and /compare pairs), from many users in many channels so that flood
 * control answers rather than throttles. Deterministic, and it continues across steps.
 */
import type { EvalCase } from "../../src/answers/evaluate.ts";
import type { KnowledgeBase } from "../../src/knowledge/types.ts";
import { type CommandLine, commandLines, type LookupCommand } from "../queries.ts";
import { rng } from "../random.ts";

export interface WorkItem {
  type: "autocomplete" | "command";
  command: string;
  options: Record<string, string | boolean>;
  /** Autocomplete: the option being typed in. */
  focused?: string;
  userIndex: number;
  channelIndex: number;
}

export const AUTOCOMPLETE_SHARE = 0.7;
const COMMAND_MIX: [LookupCommand, number][] = [
  ["license", 0.25],
  ["family", 0.2],
  ["term", 0.25],
  ["ask", 0.2],
  ["compare", 0.1],
];
const AUTOCOMPLETE_MIX: [string, string, number][] = [
  ["license", "name", 0.3],
  ["family", "name", 0.25],
  ["term", "name", 0.3],
  ["compare", "first", 0.15],
];
/** Share of commands sent with hide:true (ephemeral answers are not deduplicated). */
const HIDDEN_SHARE = 0.1;

function weighted<T extends readonly unknown[]>(random: () => number, entries: readonly T[]): T {
  let roll = random();
  for (const entry of entries) {
    roll -= entry[entry.length - 1] as number;
    if (roll < 0) return entry;
  }
  return entries[entries.length - 1]!;
}

export class Workload {
  private readonly random: () => number;
  private readonly lines: Record<LookupCommand, CommandLine[]>;
  private readonly names: Record<string, string[]>;
  private readonly lineCounters = new Map<string, number>();
  private commandCount = 0;
  private autocompleteCount = 0;

  constructor(
    kb: KnowledgeBase,
    cases: readonly EvalCase[],
    private readonly users: number,
    private readonly channels: number,
    seed = 7,
  ) {
    this.random = rng(seed);
    this.lines = commandLines(cases);
    const licences = [...kb.licences.values()].map((licence) => licence.name);
    const families = [...kb.families.values()].map((family) => family.name);
    const models = [...kb.models.values()].map((model) => model.displayName);
    const terms = [...kb.terms.values()].map((term) => term.term);
    this.names = {
      license: [...licences, ...families, ...models],
      family: [...families, ...models],
      term: terms,
      compare: [...families, ...licences],
    };
  }

  next(): WorkItem {
    if (this.random() < AUTOCOMPLETE_SHARE) {
      const [command, option] = weighted(this.random, AUTOCOMPLETE_MIX);
      const names = this.names[command]!;
      const name = names[Math.floor(this.random() * names.length)]!;
      const typed = name.slice(0, 1 + Math.floor(this.random() * name.length));
      const index = this.autocompleteCount++;
      return {
        type: "autocomplete",
        command,
        options: { [option]: typed },
        focused: option,
        userIndex: index % this.users,
        channelIndex: (index * 7) % this.channels,
      };
    }
    const [command] = weighted(this.random, COMMAND_MIX);
    const list = this.lines[command];
    const counter = this.lineCounters.get(command) ?? 0;
    this.lineCounters.set(command, counter + 1);
    const line = list[counter % list.length]!;
    const index = this.commandCount++;
    return {
      type: "command",
      command,
      options: { ...line.raw, ...(this.random() < HIDDEN_SHARE ? { hide: true } : {}) },
      // Consecutive commands go to different users and channels; a user comes back every `users` commands.
      userIndex: index % this.users,
      channelIndex: index % this.channels,
    };
  }
}
