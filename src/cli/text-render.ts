import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from "discord-api-types/v10";
import { ComponentType } from "discord-api-types/v10";
import type { ReplyPayload } from "../payloads/reply.ts";

/** A reply payload as readable terminal text: what a person would see in Discord, without colour. */
export function payloadToText(payload: ReplyPayload): string {
  const lines: string[] = [];
  if (payload.flags) lines.push("(only you can see this)");
  if (payload.content) lines.push(payload.content);
  for (const embed of payload.embeds ?? []) lines.push(embedToText(embed));
  for (const row of (payload.components ?? []) as APIActionRowComponent<APIComponentInMessageActionRow>[]) {
    const controls = row.components.map((component) => {
      if (component.type === ComponentType.Button) {
        return "url" in component && component.url
          ? `[${component.label}](${component.url})`
          : `[${"label" in component ? component.label : "button"}]`;
      }
      if (component.type === ComponentType.StringSelect) {
        return `${component.placeholder ?? "Choose"}\n${component.options.map((option) => `  ▸ ${option.label} (${option.value})`).join("\n")}`;
      }
      return "";
    });
    lines.push(controls.filter(Boolean).join("  "));
  }
  return lines.filter(Boolean).join("\n\n");
}

function embedToText(embed: APIEmbed): string {
  const parts: string[] = [];
  if (embed.title) parts.push(`━━ ${embed.title} ━━${embed.url ? `\n${embed.url}` : ""}`);
  if (embed.description) parts.push(embed.description);
  for (const field of embed.fields ?? []) parts.push(`▌${field.name}\n${field.value}`);
  if (embed.footer) parts.push(`— ${embed.footer.text}`);
  return parts.join("\n\n");
}
