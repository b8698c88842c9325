import { PermissionFlagsBits } from "discord-api-types/v10";
import { UserFacingError } from "../answers/user-facing-error.ts";
import type { CommandContext } from "./definition.ts";

/** Discord hides admin commands from others, but a stale client can still send them: check again. */
export function requireManageServer(context: CommandContext): string {
  if (!context.guildId) throw new UserFacingError("This command works inside a server.");
  const permissions = BigInt(context.memberPermissions ?? "0");
  if ((permissions & PermissionFlagsBits.ManageGuild) !== PermissionFlagsBits.ManageGuild) {
    throw new UserFacingError("You need the **Manage Server** permission to change this.");
  }
  return context.guildId;
}

export const MANAGE_SERVER = PermissionFlagsBits.ManageGuild.toString();
