import type { Selectable } from "kysely";
import type { Database } from "./schema.ts";
import type { DigestSettings, DigestSlot } from "./types.ts";

export function toSettings(row: Selectable<Database["digest_settings"]>): DigestSettings {
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    time: row.time,
    timezone: row.timezone,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    lastError: row.last_error,
    updatedAt: row.updated_at,
  };
}

export function toSlot(row: Selectable<Database["digest_slots"]>): DigestSlot {
  return {
    guildId: row.guild_id,
    localDate: row.local_date,
    nonce: row.nonce,
    state: row.state,
    messageId: row.message_id,
    reason: row.reason,
    claimedAt: row.claimed_at,
    sentAt: row.sent_at,
  };
}
