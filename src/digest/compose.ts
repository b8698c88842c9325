import type { Knowledge } from "../answers/types.ts";
import type { Store } from "../store/store.ts";
import { buildDigestMessage, type DigestMessage } from "./message.ts";
import type { DigestNews } from "./select.ts";

export interface DigestSources {
  store: Store;
  knowledge: () => Knowledge;
  news: () => Promise<DigestNews | null>;
}

/**
 * Gathers what a server's digest for a day depends on (what earlier digests showed, the last one's
 * date, the newest news) and builds it. A news feed that fails leaves the news out, not the digest.
 */
export async function composeDigest(
  sources: DigestSources,
  guildId: string,
  localDate: string,
): Promise<DigestMessage | null> {
  const { store } = sources;
  const { kb } = sources.knowledge();
  return buildDigestMessage({
    kb,
    guildId,
    localDate,
    shownTerms: await store.listShown(guildId, "term"),
    shownSpotlights: await store.listShown(guildId, "spotlight"),
    lastDigestDate: (await store.lastSentSlot(guildId))?.localDate ?? null,
    news: await sources.news().catch(() => null),
  });
}
