import type { Knowledge } from "../answers/types.ts";
import type { CommandContext } from "./definition.ts";

/**
 * A context for running commands away from Discord (the terminal preview, tests, benchmarks): a
 * stand-in user in a stand-in server, no owner rights, no services.
 */
export function standaloneContext(knowledge: Knowledge, overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    knowledge,
    userId: "100000000000000001",
    guildId: "200000000000000002",
    channelId: "300000000000000003",
    isOwner: false,
    memberPermissions: null,
    appPermissions: null,
    services: {},
    ...overrides,
  };
}
