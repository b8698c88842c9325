/** Routes about the bot itself: where the gateway is, who the bot is, its guilds and members. */
import {
  applicationPayload,
  gatewayBotPayload,
  guildPayload,
  memberPayload,
  rolePayload,
  userPayload,
} from "./payloads.ts";
import { errors } from "./rest-errors.ts";
import { json, type RestContext, type RestRequest, type RestRouter } from "./rest-router.ts";
import { param } from "./route-helpers.ts";

export function addSessionRoutes(router: RestRouter): void {
  router.add("GET", "/gateway/bot", (_request, context) =>
    json(200, gatewayBotPayload(context.gatewayUrl(), context.gateway.shardCount)),
  );
  router.add("GET", "/gateway", (_request, context) => json(200, { url: context.gatewayUrl() }), {
    needsBotToken: false,
  });
  router.add("GET", "/users/@me", (_request, context) => json(200, userPayload(context.world.botUser)));
  // Registered before /users/:userId so "@me/guilds" is not read as a user id.
  router.add("GET", "/users/@me/guilds", (_request, context) =>
    json(
      200,
      [...context.world.guilds.values()]
        .filter((guild) => guild.members.has(context.world.botUserId))
        .map((guild) => ({ id: guild.id, name: guild.name, icon: null, owner: false, permissions: "0", features: [] })),
    ),
  );
  router.add("GET", "/users/:userId", (request, context) => {
    const user = context.world.users.get(param(request.params, "userId"));
    if (!user) throw errors.unknownUser();
    return json(200, userPayload(user));
  });
  router.add("GET", "/applications/@me", (_request, context) => json(200, applicationPayload(context.world)));
  router.add("GET", "/guilds/:guildId", (request, context) => json(200, guildPayload(botGuild(request, context))));
  router.add("GET", "/guilds/:guildId/roles", (request, context) =>
    json(200, [...botGuild(request, context).roles.values()].map(rolePayload)),
  );
  router.add("GET", "/guilds/:guildId/members/:userId", (request, context) => {
    const guild = botGuild(request, context);
    const userId = param(request.params, "userId");
    if (!guild.members.has(userId)) throw errors.unknownMember();
    return json(200, memberPayload(context.world, guild, userId));
  });
}

function botGuild(request: RestRequest, context: RestContext) {
  const guild = context.world.guilds.get(param(request.params, "guildId"));
  if (!guild?.members.has(context.world.botUserId)) throw errors.unknownGuild();
  return guild;
}
