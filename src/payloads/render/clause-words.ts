/** A clause text without its own opening verdict ("Yes, with conditions:"), which the asker's words replace. */
export function withoutOpening(text: string): string {
  const rest = text.replace(
    /^(?:yes|no|not confirmed|unconfirmed|not addressed|the licen[cs]e does not say|only|partly)[^:.]{0,40}[:.]\s*/i,
    "",
  );
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : text;
}

/** "Register with Zhipu first; after that…": the words up to the first full stop or semicolon. */
export function firstClause(text: string): string {
  return (/^(.+?)[.;](?:\s|$)/.exec(text)?.[1] ?? text).trim();
}

/** A clause answer's condition in a few words: "register with Zhipu first (open.bigmodel.cn form)". */
export function conditionWords(text: string): string {
  return firstClause(withoutOpening(text));
}
