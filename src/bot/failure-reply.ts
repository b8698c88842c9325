import { randomBytes } from "node:crypto";
import { UserFacingError } from "../answers/user-facing-error.ts";
import { databaseUnreachable, StoreWriteError } from "../store/store.ts";
import { planNotice, type ReplyPlan } from "./reply-plan.ts";

/** The interaction a failure happened in, for the operator's log line. */
export interface FailedInteraction {
  interactionId: string;
  userId: string;
  guildId: string | null;
  channelId: string | null;
  /** The slash command's name, when it was one. */
  command?: string;
}

/** What a failure turns into: the plan of the reply the user gets (none when too late), and the log line. */
export interface FailureReply {
  plan: ReplyPlan | null;
  log: { level: "debug" | "error"; fields: Record<string, unknown>; msg: string } | null;
}

/**
 * A failure, told to the user privately: a user-facing error as it is worded, anything else as
 * "something went wrong" with an id the operator finds in the log, next to the cause.
 */
export function failureReply(
  error: unknown,
  about: FailedInteraction,
  expired: boolean,
  deferred: boolean,
  newErrorId: () => string = () => randomBytes(4).toString("hex"),
): FailureReply {
  if (expired) {
    return {
      plan: null,
      log: {
        level: "debug",
        fields: { interactionId: about.interactionId },
        msg: "interaction expired before the answer",
      },
    };
  }
  if (error instanceof StoreWriteError) {
    // The admin should know it was not saved and why; the operator gets the path and the cause.
    const errorId = newErrorId();
    const cause =
      error.kind === "disk-full"
        ? "the bot's disk is full"
        : error.kind === "unreachable"
          ? "the bot's database server could not be reached"
          : "the bot's database could not be written";
    return {
      plan: planNotice(
        `I couldn't save that: ${cause}. Nothing was changed; tell the bot's operator (error id \`${errorId}\`).`,
        "error",
        deferred,
      ),
      log: {
        level: "error",
        fields: { err: error, errorId, kind: error.kind, path: error.path },
        msg: "database write failed",
      },
    };
  }
  if (databaseUnreachable(error)) {
    // A read that the database could not answer: the admin learns it is the database, not them.
    const errorId = newErrorId();
    return {
      plan: planNotice(
        `I couldn't read that: the bot's database server is not answering. Try again in a minute; if it lasts, tell the bot's operator (error id \`${errorId}\`).`,
        "error",
        deferred,
      ),
      log: {
        level: "error",
        fields: { err: error, errorId, interactionId: about.interactionId },
        msg: "database not answering",
      },
    };
  }
  if (error instanceof UserFacingError) return { plan: planNotice(error.message, "user-error", deferred), log: null };
  const errorId = newErrorId();
  return {
    plan: planNotice(
      `Something went wrong on my side. If it keeps happening, tell the server's admins: error id \`${errorId}\`.`,
      "error",
      deferred,
    ),
    log: {
      level: "error",
      fields: {
        err: error,
        errorId,
        interactionId: about.interactionId,
        user: about.userId,
        guild: about.guildId,
        channel: about.channelId,
        ...(about.command !== undefined ? { command: about.command } : {}),
      },
      msg: "interaction failed",
    },
  };
}
