/** Application command registration, global and per guild (PUT replaces, POST upserts one). */
import type { APIApplicationCommand } from "discord.js";
import { applicationCommandPayload, type CommandBody } from "./payloads.ts";
import { errors, RestError } from "./rest-errors.ts";
import {
  json,
  noContent,
  type RestContext,
  type RestRequest,
  type RestResult,
  type RestRouter,
} from "./rest-router.ts";
import { objectBody, param } from "./route-helpers.ts";
import { commandsProblem } from "./validation.ts";

export function addCommandRoutes(router: RestRouter): void {
  for (const base of [
    "/applications/:applicationId/commands",
    "/applications/:applicationId/guilds/:guildId/commands",
  ]) {
    router.add("GET", base, listCommands);
    router.add("PUT", base, replaceCommands);
    router.add("POST", base, upsertCommand);
    router.add("GET", `${base}/:commandId`, getCommand);
    router.add("DELETE", `${base}/:commandId`, deleteCommand);
  }
}

/** The command map a route addresses: the application's global commands or one guild's. */
function commandScope(request: RestRequest, context: RestContext) {
  const { world } = context;
  if (param(request.params, "applicationId") !== world.applicationId) throw errors.missingAccess();
  const guildId = request.params.guildId ?? null;
  if (guildId !== null) {
    const guild = world.guilds.get(guildId);
    if (!guild) throw errors.unknownGuild();
    if (!guild.members.has(world.botUserId)) throw errors.missingAccess();
  }
  return { guildId, commands: world.commandsFor(guildId) };
}

function keyOf(command: { name: string; type?: number }): string {
  return `${command.type ?? 1}:${command.name}`;
}

function listCommands(request: RestRequest, context: RestContext): RestResult {
  return json(200, [...commandScope(request, context).commands.values()]);
}

function replaceCommands(request: RestRequest, context: RestContext): RestResult {
  const { guildId, commands } = commandScope(request, context);
  if (!Array.isArray(request.body)) {
    throw new RestError(400, { message: "The request body contains invalid JSON.", code: 50109 });
  }
  const bodies = request.body as CommandBody[];
  const problem = commandsProblem(bodies);
  if (problem) throw problem;
  // Discord keeps the id of a command whose name and type survive the overwrite.
  const previous = new Map([...commands.values()].map((command) => [keyOf(command), command.id]));
  const registered = bodies.map((body) =>
    applicationCommandPayload(context.world, body, guildId, previous.get(keyOf(body))),
  );
  commands.clear();
  for (const command of registered) commands.set(command.id, command);
  return json(200, registered);
}

function upsertCommand(request: RestRequest, context: RestContext): RestResult {
  const { guildId, commands } = commandScope(request, context);
  const body = objectBody(request.body) as unknown as CommandBody;
  const problem = commandsProblem([body]);
  if (problem) throw problem;
  const existing = [...commands.values()].find((command) => keyOf(command) === keyOf(body));
  const command = applicationCommandPayload(context.world, body, guildId, existing?.id);
  commands.set(command.id, command);
  return json(existing ? 200 : 201, command);
}

function storedCommand(request: RestRequest, context: RestContext): APIApplicationCommand {
  const command = commandScope(request, context).commands.get(param(request.params, "commandId"));
  if (!command) throw errors.unknownCommand();
  return command;
}

function getCommand(request: RestRequest, context: RestContext): RestResult {
  return json(200, storedCommand(request, context));
}

function deleteCommand(request: RestRequest, context: RestContext): RestResult {
  const command = storedCommand(request, context);
  commandScope(request, context).commands.delete(command.id);
  return noContent;
}
