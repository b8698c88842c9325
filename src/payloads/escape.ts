/**
 * Makes text a user typed safe to echo back: no invisible or direction-changing characters, no
 * Markdown that changes the message, and no mention syntax that renders as a ping. (Allowed
 * mentions already stop the pings; this also stops the text from looking like one.)
 */

const INVISIBLE_OR_BIDI = /[\u0000-\u0008\u000B-\u001F\u007F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const MARKDOWN = /([\\*_~`|>#[\]()-])/g;
const MENTION = /<(@[!&]?|#)(\d+)>/g;
const EVERYONE = /@(everyone|here)/gi;

export function cleanUserText(text: string): string {
  return text.replace(INVISIBLE_OR_BIDI, "").replace(/\s+/g, " ").trim();
}

export function escapeUserText(text: string): string {
  return cleanUserText(text).replace(MENTION, "<\u200B$1$2>").replace(EVERYONE, "@\u200B$1").replace(MARKDOWN, "\\$1");
}
