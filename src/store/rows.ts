import type { DigestSettings, DigestSlot, SlotState } from "./types.ts";

/** A digest_settings row as both engines return it. */
export interface SettingsRow {
  guild_id: string;
  channel_id: string;
  time: string;
  timezone: string;
  enabled: number;
  disabled_reason: string | null;
  last_error: string | null;
  updated_at: string;
}

/** A digest_slots row as both engines return it. */
export interface SlotRow {
  guild_id: string;
  local_date: string;
  nonce: string | null;
  state: SlotState;
  message_id: string | null;
  reason: string | null;
  claimed_at: string;
  sent_at: string | null;
}

export function toSettings(row: SettingsRow): DigestSettings {
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

export function toSlot(row: SlotRow): DigestSlot {
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
