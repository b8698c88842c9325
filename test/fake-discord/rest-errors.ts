/**
 * Discord's JSON error bodies. A handler signals failure by throwing RestError; the server turns it
 * into the response, so "what Discord answers when X is wrong" reads the same in every route.
 */

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${String(body.message)}`);
  }
}

function apiError(status: number, code: number, message: string): RestError {
  return new RestError(status, { message, code });
}

export const errors = {
  notFound: () => apiError(404, 0, "404: Not Found"),
  unauthorized: () => apiError(401, 0, "401: Unauthorized"),
  unknownChannel: () => apiError(404, 10003, "Unknown Channel"),
  unknownGuild: () => apiError(404, 10004, "Unknown Guild"),
  unknownMember: () => apiError(404, 10007, "Unknown Member"),
  unknownUser: () => apiError(404, 10013, "Unknown User"),
  unknownMessage: () => apiError(404, 10008, "Unknown Message"),
  unknownWebhook: () => apiError(404, 10015, "Unknown Webhook"),
  unknownCommand: () => apiError(404, 10063, "Unknown application command"),
  unknownInteraction: () => apiError(404, 10062, "Unknown interaction"),
  missingAccess: () => apiError(403, 50001, "Missing Access"),
  missingPermissions: () => apiError(403, 50013, "Missing Permissions"),
  cannotEditOthersMessage: () => apiError(403, 50005, "Cannot edit a message authored by another user"),
  emptyMessage: () => apiError(400, 50006, "Cannot send an empty message"),
  nonTextChannel: () => apiError(400, 50008, "Cannot send messages in a non-text channel"),
  alreadyAcknowledged: () => apiError(400, 40060, "Interaction has already been acknowledged."),
  threadAlreadyExists: () => apiError(400, 160004, "A thread has already been created for this message"),
  invalidFormBody: (errors: Record<string, unknown>) =>
    new RestError(400, { message: "Invalid Form Body", code: 50035, errors }),
};

/** One entry of an Invalid Form Body error, nested under its path as Discord does. */
export interface FieldProblem {
  path: Array<string | number>;
  code: string;
  message: string;
}

/** `[{path:['embeds',0,'title'], ...}]` becomes `{embeds:{0:{title:{_errors:[...]}}}}`. */
export function formErrors(problems: FieldProblem[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const problem of problems) {
    let node = root;
    for (const key of problem.path) {
      node[String(key)] ??= {};
      node = node[String(key)] as Record<string, unknown>;
    }
    node._errors ??= [];
    (node._errors as Array<{ code: string; message: string }>).push({ code: problem.code, message: problem.message });
  }
  return root;
}

export function invalidFormBody(problems: FieldProblem[]): RestError {
  return errors.invalidFormBody(formErrors(problems));
}
