/**
 * Turns "user alice runs /ask in #general" into an INTERACTION_CREATE payload, and remembers every
 * dispatched interaction so its callback and webhook routes can be answered (or refused) later.
 */
import { randomBytes } from "node:crypto";
import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteraction,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
  type APIModalSubmitGuildInteraction,
  InteractionType,
  Locale,
} from "discord.js";
import type { OptionInputs } from "./command-options.ts";
import { ids } from "./fixtures.ts";
import type { InteractionKind, InteractionRecord } from "./model.ts";
import {
  autocompleteInteractionPayload,
  type ComponentInteractionData,
  chatInputInteractionPayload,
  componentHostMessageBody,
  componentInteractionPayload,
  type InteractionContext,
  type InteractionIdentity,
  messagePayload,
  modalSubmitInteractionPayload,
} from "./payloads.ts";
import { nextSnowflake } from "./snowflake.ts";
import type { World } from "./world.ts";

export interface InteractionOptions {
  /** Defaults to `ids.textChannel`; the guild follows from the channel. */
  channelId?: string;
  /** Defaults to `ids.user` (a plain member). */
  userId?: string;
  locale?: Locale;
}

export interface CommandInteractionOptions extends InteractionOptions {
  subcommand?: string;
  subcommandGroup?: string;
}

export interface AutocompleteOptions extends CommandInteractionOptions {
  /** The option being typed in; defaults to the first option given. */
  focused?: string;
}

export interface ComponentOptions extends InteractionOptions {
  /** A message stored in the channel; when omitted the fake posts a bot message holding the control. */
  messageId?: string;
}

/** What a dispatch helper returns: enough to find the bot's answer. */
export interface DispatchedInteraction {
  id: string;
  token: string;
}

export class InteractionFactory {
  private readonly fallbackCommandIds = new Map<string, string>();

  constructor(private readonly world: World) {}

  chatInput(
    name: string,
    options: OptionInputs,
    context: CommandInteractionOptions = {},
  ): APIChatInputApplicationCommandGuildInteraction {
    return chatInputInteractionPayload(
      this.world,
      newIdentity(),
      resolve(context),
      this.invocation(name, options, context),
    );
  }

  autocomplete(
    name: string,
    options: OptionInputs,
    context: AutocompleteOptions = {},
  ): APIApplicationCommandAutocompleteGuildInteraction {
    const focused = context.focused ?? Object.keys(options)[0];
    return autocompleteInteractionPayload(this.world, newIdentity(), resolve(context), {
      ...this.invocation(name, options, context),
      ...(focused !== undefined ? { focused } : {}),
    });
  }

  button(customId: string, context: ComponentOptions = {}): APIMessageComponentGuildInteraction {
    return this.component({ kind: "button", customId }, context);
  }

  select(customId: string, values: string[], context: ComponentOptions = {}): APIMessageComponentGuildInteraction {
    return this.component({ kind: "select", customId, values }, context);
  }

  modalSubmit(
    customId: string,
    fields: Record<string, string>,
    context: InteractionOptions = {},
  ): APIModalSubmitGuildInteraction {
    return modalSubmitInteractionPayload(this.world, newIdentity(), resolve(context), customId, fields);
  }

  private component(
    component: ComponentInteractionData,
    context: ComponentOptions,
  ): APIMessageComponentGuildInteraction {
    const resolved = resolve(context);
    return componentInteractionPayload(
      this.world,
      newIdentity(),
      resolved,
      component,
      this.hostMessage(component, resolved.channelId, context.messageId),
    );
  }

  private hostMessage(component: ComponentInteractionData, channelId: string, messageId?: string): APIMessage {
    if (messageId) {
      const stored = this.world.findMessage(channelId, messageId);
      if (!stored) throw new Error(`FakeDiscord: no message ${messageId} in channel ${channelId}`);
      return stored.message;
    }
    const message = messagePayload(this.world, {
      channel: this.world.requireChannel(channelId),
      author: this.world.botUser,
      body: componentHostMessageBody(component),
    });
    this.world.addMessage({ message, createdAtMs: Date.now() });
    return message;
  }

  private invocation(name: string, options: OptionInputs, context: CommandInteractionOptions) {
    const guildId = this.world.requireChannel(context.channelId ?? ids.textChannel).guildId;
    const registered = this.world.findCommand(name, guildId);
    let commandId = registered?.id ?? this.fallbackCommandIds.get(name);
    if (!commandId) {
      // Tests may run a command the bot never registered; give it a stable id of its own.
      commandId = nextSnowflake();
      this.fallbackCommandIds.set(name, commandId);
    }
    return {
      name,
      commandId,
      commandGuildId: registered?.guild_id ?? null,
      options,
      ...(context.subcommand !== undefined ? { subcommand: context.subcommand } : {}),
      ...(context.subcommandGroup !== undefined ? { subcommandGroup: context.subcommandGroup } : {}),
    };
  }
}

function resolve(context: InteractionOptions): InteractionContext {
  return {
    channelId: context.channelId ?? ids.textChannel,
    userId: context.userId ?? ids.user,
    locale: context.locale ?? Locale.EnglishUS,
  };
}

/** Real tokens are long url-safe base64 strings; only the shape matters to discord.js. */
function newIdentity(): InteractionIdentity {
  const id = nextSnowflake();
  const token = Buffer.from(`interaction:${id}:${randomBytes(24).toString("hex")}`).toString("base64url");
  return { id, token };
}

/**
 * Remembers a dispatched INTERACTION_CREATE, built here or by hand. Payloads without id/token
 * (deliberately malformed ones) cannot be answered, so they are not remembered.
 */
export function recordInteraction(world: World, payload: unknown): InteractionRecord | null {
  if (typeof payload !== "object" || payload === null) return null;
  const data = payload as Partial<APIInteraction> & Record<string, unknown>;
  if (typeof data.id !== "string" || typeof data.token !== "string") return null;
  const commandData = (data.data ?? {}) as { name?: unknown; type?: unknown };
  const record: InteractionRecord = {
    id: data.id,
    token: data.token,
    kind: kindOf(data.type, commandData.type),
    type: typeof data.type === "number" ? data.type : 0,
    ...(typeof commandData.name === "string" ? { commandName: commandData.name } : {}),
    guildId: typeof data.guild_id === "string" ? data.guild_id : null,
    channelId: data.channel?.id ?? (typeof data.channel_id === "string" ? data.channel_id : null),
    userId: data.member?.user?.id ?? data.user?.id ?? "",
    dispatchedAtMs: Date.now(),
    ...(data.message ? { sourceMessage: data.message } : {}),
    followUps: [],
  };
  world.interactions.set(record.id, record);
  return record;
}

function kindOf(type: unknown, commandType: unknown): InteractionKind {
  switch (type) {
    case InteractionType.ApplicationCommand:
      return commandType === 1 ? "chatInput" : "raw";
    case InteractionType.ApplicationCommandAutocomplete:
      return "autocomplete";
    case InteractionType.MessageComponent:
      return "component";
    case InteractionType.ModalSubmit:
      return "modalSubmit";
    default:
      return "raw";
  }
}
