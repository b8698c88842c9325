/** The fake Discord for end-to-end tests of the real discord.js client. See server.ts. */

export { type OptionInputs, type OptionValue, option } from "./command-options.ts";
export type { FaultSpec, RequestMatcher } from "./faults.ts";
export { ADMIN_ROLE_PERMISSIONS, ids } from "./fixtures.ts";
export { type GatewayFrameRecord, shardOf } from "./gateway.ts";
export type {
  AutocompleteOptions,
  CommandInteractionOptions,
  ComponentOptions,
  DispatchedInteraction,
  InteractionOptions,
} from "./interactions.ts";
export type { InteractionRecord } from "./model.ts";
export type { ChannelSpec, FakeDiscordOptions, GuildSpec, OverwriteSpec, UserSpec } from "./options.ts";
export {
  ALL_PERMISSIONS,
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  Permission,
} from "./permissions.ts";
export {
  FakeDiscord,
  type GatewayFrameMatcher,
  type InteractionCallbackBody,
  type RecordedRequest,
  type RequestPredicate,
} from "./server.ts";
export { nextSnowflake, snowflakeAt, timestampOfSnowflake } from "./snowflake.ts";
