/**
 * Child: the ceiling. A plain discord.js Client with the Guilds intent that answers every
 * interaction with a fixed embed (interaction.reply) or a fixed list of choices (respond), and does
 * nothing else. Same stats protocol as bot-process.ts. Env: DISCORD_API_BASE.
 */
import { once } from "node:events";
import { Client, GatewayIntentBits } from "discord.js";
import { exitWithParent } from "../ipc.ts";
import { serveBotProcess } from "./process-stats.ts";

exitWithParent();
const apiBase = process.env.DISCORD_API_BASE;
if (!apiBase?.startsWith("http://127.0.0.1:")) throw new Error("DISCORD_API_BASE must point at the fake on 127.0.0.1");

const EMBED = {
  title: "Llama 3.1 Community License Agreement",
  description:
    "Source-available: free to use and modify, with a 700M monthly-active-user threshold and an acceptable use policy.",
  color: 0x5865f2,
  fields: [
    { name: "You may", value: "Use, modify and redistribute the model and derivatives.", inline: false },
    { name: "You must", value: 'Keep the licence, show "Built with Llama", follow the use policy.', inline: false },
    {
      name: "You may not",
      value: "Use it to improve other models (before 3.1), exceed 700M MAU without asking.",
      inline: false,
    },
    { name: "Tier", value: "source-available", inline: true },
    { name: "OSI approved", value: "no", inline: true },
  ],
  footer: { text: "Checked 2026-11-27 · not legal advice" },
};
const CHOICES = Array.from({ length: 25 }, (_, index) => ({
  name: `Choice number ${index + 1}`,
  value: `choice-${index + 1}`,
}));

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: apiBase } });
client.on("interactionCreate", (interaction) => {
  if (interaction.isAutocomplete()) interaction.respond(CHOICES).catch(() => {});
  else if (interaction.isRepliable()) interaction.reply({ embeds: [EMBED] }).catch(() => {});
});
const ready = once(client, "clientReady");
await client.login("MTAwMDAwMDAwMDAwMDAwMDAx.bench.bench-token");
await ready;

await serveBotProcess(async () => {
  await client.destroy();
});
