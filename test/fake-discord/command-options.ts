/**
 * How tests describe slash-command option values. Plain values are typed by inference (string 3,
 * integer 4, boolean 5, fractional number 10); ids need a wrapper because a user id and a channel id
 * are both strings: `{ who: option.user(ids.user), where: option.channel(ids.thread) }`.
 */
import { ApplicationCommandOptionType } from "discord.js";

export interface TypedOptionValue {
  type: ApplicationCommandOptionType;
  value: string | number | boolean;
}

export type OptionValue = string | number | boolean | TypedOptionValue;
export type OptionInputs = Record<string, OptionValue>;

export const option = {
  string: (value: string): TypedOptionValue => ({ type: ApplicationCommandOptionType.String, value }),
  integer: (value: number): TypedOptionValue => ({ type: ApplicationCommandOptionType.Integer, value }),
  /** A "number" option (type 10): needed when a whole number is sent to a number option. */
  number: (value: number): TypedOptionValue => ({ type: ApplicationCommandOptionType.Number, value }),
  boolean: (value: boolean): TypedOptionValue => ({ type: ApplicationCommandOptionType.Boolean, value }),
  user: (userId: string): TypedOptionValue => ({ type: ApplicationCommandOptionType.User, value: userId }),
  channel: (channelId: string): TypedOptionValue => ({ type: ApplicationCommandOptionType.Channel, value: channelId }),
  role: (roleId: string): TypedOptionValue => ({ type: ApplicationCommandOptionType.Role, value: roleId }),
  mentionable: (id: string): TypedOptionValue => ({ type: ApplicationCommandOptionType.Mentionable, value: id }),
};

export function toTypedOption(value: OptionValue): TypedOptionValue {
  if (typeof value === "object") return value;
  if (typeof value === "string") return option.string(value);
  if (typeof value === "boolean") return option.boolean(value);
  return Number.isInteger(value) ? option.integer(value) : option.number(value);
}
