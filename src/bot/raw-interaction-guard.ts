import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  type Client,
  ComponentType,
  InteractionType,
} from "discord.js";
import type { Logger } from "./logger.ts";

/** Interaction types that carry command data. */
const WITH_COMMAND_DATA = new Set<number>([
  InteractionType.ApplicationCommand,
  InteractionType.ApplicationCommandAutocomplete,
]);
/** Interaction types that carry a component's data: a button or menu, and a modal submit. */
const WITH_COMPONENT_DATA = new Set<number>([InteractionType.MessageComponent, InteractionType.ModalSubmit]);
/** The user id given to an interaction that arrived without one: it is answered with an error. */
export const UNKNOWN_USER_ID = "0";

/**
 * discord.js builds an interaction from the gateway packet before any handler of ours runs, and a
 * malformed one (options sent as a string, no command data) makes it throw where nothing can answer.
 * The raw packet is seen first, so its shape is mended here: the interaction then reaches the
 * dispatcher, which answers it with a plain error, and one warning names what was wrong.
 */
export function guardRawInteractions(client: Client, logger: Logger): void {
  client.on("raw", (packet: { t?: string | null; d?: unknown }) => {
    if (packet.t !== "INTERACTION_CREATE" || !isObject(packet.d)) return;
    const problems = mendInteraction(packet.d);
    if (problems.length > 0) {
      logger.warn({ interactionId: packet.d.id, type: packet.d.type, problems }, "malformed interaction");
    }
  });
}

/** Mends what discord.js cannot read and returns what was wrong; an empty list for a sound packet. */
export function mendInteraction(interaction: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof interaction.id !== "string" || typeof interaction.token !== "string") {
    problems.push("no id or token: it cannot be answered");
  }
  if (!isObject(interaction.authorizing_integration_owners)) {
    // discord.js cannot build an interaction without it. A payload without it predates user
    // installs, when every install was the server's (or, in a DM, the user's).
    problems.push("no authorizing_integration_owners");
    interaction.authorizing_integration_owners =
      typeof interaction.guild_id === "string"
        ? { [ApplicationIntegrationType.GuildInstall]: interaction.guild_id }
        : { [ApplicationIntegrationType.UserInstall]: userIdOf(interaction) };
  }
  const member = isObject(interaction.member) ? interaction.member : null;
  if (!isObject(interaction.user) && !(member && isObject(member.user))) {
    // discord.js cannot build an interaction without a user; the dispatcher answers this stand-in with an error.
    problems.push("no member or user");
    const user = { id: UNKNOWN_USER_ID, username: "unknown", discriminator: "0", global_name: null, avatar: null };
    if (member) member.user = user;
    else interaction.user = user;
  }
  if (WITH_COMPONENT_DATA.has(Number(interaction.type)) && !isObject(interaction.data)) {
    problems.push("no component data");
    interaction.data =
      Number(interaction.type) === InteractionType.MessageComponent
        ? { custom_id: "", component_type: ComponentType.Button }
        : { custom_id: "", components: [] };
    return problems;
  }
  if (!WITH_COMMAND_DATA.has(Number(interaction.type))) return problems;
  if (!isObject(interaction.data)) {
    problems.push("no command data");
    interaction.data = { id: "0", name: "", type: ApplicationCommandType.ChatInput, options: [] };
    return problems;
  }
  if (typeof interaction.data.name !== "string") {
    problems.push("no command name");
    interaction.data.name = "";
  }
  mendOptions(interaction.data, "data.options", problems);
  return problems;
}

function mendOptions(holder: Record<string, unknown>, path: string, problems: string[]): void {
  if (holder.options === undefined) return;
  if (!Array.isArray(holder.options)) {
    problems.push(`${path} is not a list`);
    holder.options = [];
    return;
  }
  holder.options = holder.options.filter((option, index) => {
    if (!isObject(option) || typeof option.name !== "string") {
      problems.push(`${path}[${index}] is not an option`);
      return false;
    }
    mendOptions(option, `${path}[${index}].options`, problems);
    return true;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function userIdOf(interaction: Record<string, unknown>): string {
  const member = isObject(interaction.member) ? interaction.member : null;
  const user = isObject(interaction.user) ? interaction.user : member && isObject(member.user) ? member.user : null;
  return user && typeof user.id === "string" ? user.id : "0";
}
