import type { CommandDefinition } from "../command-kit/definition.ts";

export interface DeployPlan {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
}

/** The fields we set on a command; Discord adds others (id, version) that are not ours to compare. */
const COMPARED = ["name", "description", "options", "default_member_permissions", "contexts"] as const;

function comparable(command: object): string {
  const record = command as Record<string, unknown>;
  const picked = Object.fromEntries(COMPARED.map((key) => [key, normalise(record[key])]));
  return JSON.stringify(picked);
}

/** Discord echoes options with defaults filled in; drop empty and false values so equal means equal. */
function normalise(value: unknown): unknown {
  if (value === null || value === false) return undefined;
  if (Array.isArray(value)) return value.length ? value.map(normalise) : undefined;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .map(([key, inner]) => [key, normalise(inner)] as const)
      .filter(([, inner]) => inner !== undefined && inner !== false && inner !== null)
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  }
  return value;
}

/** What a bulk overwrite will do, compared on the full JSON of each command (not only names). */
export function planDeploy(current: readonly object[], wanted: readonly CommandDefinition[]): DeployPlan {
  const currentByName = new Map(current.map((command) => [(command as { name: string }).name, command]));
  const plan: DeployPlan = { added: [], changed: [], removed: [], unchanged: [] };
  for (const command of wanted) {
    const existing = currentByName.get(command.name);
    if (!existing) plan.added.push(command.name);
    else if (comparable(existing) !== comparable(command)) plan.changed.push(command.name);
    else plan.unchanged.push(command.name);
  }
  const wantedNames = new Set(wanted.map((command) => command.name));
  plan.removed = [...currentByName.keys()].filter((name) => !wantedNames.has(name));
  return plan;
}

/** A bot token's first part is the bot user's id, which is its application's id, in base64. */
export function applicationIdFromToken(token: string): string | null {
  const id = Buffer.from(token.split(".")[0] ?? "", "base64").toString("utf8");
  return /^\d{15,21}$/.test(id) ? id : null;
}
