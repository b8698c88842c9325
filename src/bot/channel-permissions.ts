import type { APIOverwrite, APIRole } from "discord.js";
import { OverwriteType, PermissionFlagsBits } from "discord.js";

export interface PermissionFacts {
  guildId: string;
  ownerId: string;
  memberId: string;
  memberRoleIds: readonly string[];
  roles: readonly Pick<APIRole, "id" | "permissions">[];
  overwrites: readonly Pick<APIOverwrite, "id" | "type" | "allow" | "deny">[];
}

const ALL = (1n << 64n) - 1n;

/**
 * A member's permissions in a channel, computed from the server's roles and the channel's
 * overwrites the way Discord documents it: everyone's role and the member's roles, administrator
 * and owner see everything, then @everyone's overwrite, the roles' overwrites and the member's own.
 */
export function channelPermissions(facts: PermissionFacts): bigint {
  if (facts.memberId === facts.ownerId) return ALL;
  const roleById = new Map(facts.roles.map((role) => [role.id, BigInt(role.permissions)]));
  let permissions = roleById.get(facts.guildId) ?? 0n;
  for (const roleId of facts.memberRoleIds) permissions |= roleById.get(roleId) ?? 0n;
  if (permissions & PermissionFlagsBits.Administrator) return ALL;

  const everyone = facts.overwrites.find((overwrite) => overwrite.id === facts.guildId);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let deny = 0n;
  let allow = 0n;
  for (const overwrite of facts.overwrites) {
    if (
      overwrite.type === OverwriteType.Role &&
      overwrite.id !== facts.guildId &&
      facts.memberRoleIds.includes(overwrite.id)
    ) {
      deny |= BigInt(overwrite.deny);
      allow |= BigInt(overwrite.allow);
    }
  }
  permissions = (permissions & ~deny) | allow;
  const own = facts.overwrites.find(
    (overwrite) => overwrite.type === OverwriteType.Member && overwrite.id === facts.memberId,
  );
  if (own) permissions = (permissions & ~BigInt(own.deny)) | BigInt(own.allow);
  return permissions;
}
