import type { DigestSelection } from "../answers/digest.ts";
import type { MessageParts } from "../payloads/limits.ts";
import { renderDigest } from "../payloads/render/digest.ts";
import { type SelectionInput, selectDigest } from "./select.ts";

/** One day's digest, ready to post: the message, and the entries to record as shown once it is. */
export interface DigestMessage {
  localDate: string;
  parts: MessageParts;
  shown: DigestSelection["shown"];
}

/** The day's digest from the content and the server's history; null when there is nothing to show. */
export function buildDigestMessage(input: SelectionInput): DigestMessage | null {
  const selection = selectDigest(input);
  return selection ? { localDate: input.localDate, parts: renderDigest(selection), shown: selection.shown } : null;
}
