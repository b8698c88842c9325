import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIComponentInMessageActionRow,
  APISelectMenuOption,
  APIStringSelectComponent,
} from "discord-api-types/v10";
import { ButtonStyle, ComponentType } from "discord-api-types/v10";
import { encodeCustomId } from "./custom-id.ts";
import { LIMITS } from "./limits.ts";

/**
 * A button that answers another entry privately for whoever clicks it: exploring a related entry
 * should not post into a busy channel.
 */
export function entryButton(command: string, entryId: string, label: string, view?: string): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: encodeCustomId({ command, ephemeral: true, entryId, view }),
  };
}

export function linkButton(label: string, url: string): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Link, label, url };
}

export function buttonRow(buttons: APIButtonComponent[]): APIActionRowComponent<APIComponentInMessageActionRow> {
  return {
    type: ComponentType.ActionRow,
    components: buttons.slice(0, LIMITS.buttonsPerRow),
  };
}

/** The did-you-mean menu: picking an option runs `command` for that entry. */
export function pickMenu(
  command: string,
  ephemeral: boolean,
  options: APISelectMenuOption[],
): APIActionRowComponent<APIComponentInMessageActionRow> {
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: encodeCustomId({ command, ephemeral, entryId: "" }),
    placeholder: "Did you mean…",
    options,
  };
  return { type: ComponentType.ActionRow, components: [menu] };
}
