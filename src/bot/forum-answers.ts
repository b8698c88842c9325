import type { AnyThreadChannel, Client } from "discord.js";
import { type APIMessage, type APIUser, Routes } from "discord-api-types/v10";
import { suggestForPost } from "../answers/post-suggestions.ts";
import type { Knowledge } from "../answers/types.ts";
import { renderPostSuggestions } from "../payloads/render/post-suggestions.ts";
import { reply } from "../payloads/reply.ts";
import type { Store } from "../store/store.ts";
import type { Logger } from "./logger.ts";
import type { Responder } from "./respond.ts";

export interface ForumAnswerDeps {
  client: Client;
  store: Store;
  responder: Responder;
  knowledge: () => Knowledge;
  logger: Logger;
}

/**
 * Answers a new post in an opted-in forum (or text channel) at most once: the best matches for its
 * title and, where the bot can read it, its first message, only when they clear the bar; never
 * for a post a bot made, never twice for one thread (the claim is stored before the reply).
 */
export async function answerNewPost(
  thread: AnyThreadChannel,
  { client, store, responder, knowledge, logger }: ForumAnswerDeps,
): Promise<void> {
  if (!thread.parentId || !thread.guildId || !(await store.isAutoAnswerChannel(thread.parentId))) return;
  if (thread.ownerId === client.user?.id) return;
  // The starter message has the thread's id; without the Message Content intent its text may be empty.
  const starter = (await client.rest
    .get(Routes.channelMessage(thread.id, thread.id))
    .catch(() => null)) as APIMessage | null;
  const author =
    starter?.author ??
    (thread.ownerId
      ? ((await client.rest.get(Routes.user(thread.ownerId)).catch(() => null)) as APIUser | null)
      : null);
  if (author?.bot) return;
  const current = knowledge();
  const suggestions = suggestForPost(current, thread.name, starter?.content ?? "");
  if (suggestions.length === 0) {
    logger.debug({ threadId: thread.id }, "new post: no confident match, staying quiet");
    return;
  }
  if (!(await store.claimThreadAnswer(thread.id, thread.guildId))) return;
  try {
    await responder.send(thread.id, reply(renderPostSuggestions(suggestions)));
    logger.info(
      { threadId: thread.id, suggestions: suggestions.map((entry) => `${entry.kind}:${entry.id}`) },
      "answered new post",
    );
  } catch (error) {
    logger.warn({ err: error, threadId: thread.id }, "could not answer the new post");
  }
}
