import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildDigestMessage, type DigestMessage } from "../src/digest/message.ts";
import type { SendMessage } from "../src/digest/ports.ts";
import { DigestPoster } from "../src/digest/poster.ts";
import { type DigestSettings, SqliteStore } from "../src/store/store.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";
import { tempDataDir } from "./helpers/temp-dir.ts";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const DATE = "2026-12-01";

function builtMessage(): DigestMessage {
  const message = buildDigestMessage({
    kb: bundledKnowledge().kb,
    guildId: "1",
    localDate: DATE,
    shownTerms: [],
    shownSpotlights: [],
    lastDigestDate: null,
    news: null,
  });
  if (!message) throw new Error("the bundled content makes no digest");
  return message;
}

describe("the digest poster, given a built message", () => {
  let store: SqliteStore;
  let settings: DigestSettings;
  let sent: { channelId: string; nonce: string; content: string | undefined }[];

  const poster = (
    send?: SendMessage,
    readRecent?: () => Promise<{ id: string; authorId: string; content: string }[]>,
  ) =>
    new DigestPoster({
      store,
      logger: quiet,
      retry: { attempts: 1, baseDelayMs: 1 },
      claimLeaseMs: 0,
      ...(readRecent ? { readRecent } : {}),
      send:
        send ??
        (async (channelId, payload) => {
          sent.push({ channelId, nonce: payload.nonce, content: payload.content });
          return { id: `m${sent.length}` };
        }),
    });

  beforeEach(async () => {
    store = SqliteStore.open(tempDataDir());
    settings = await store.setDigest({ guildId: "1", channelId: "10", time: "09:00", timezone: "UTC" });
    sent = [];
  });
  afterEach(() => store.close());

  it("sends it once with the claim's nonce, and records the day with what it showed", async () => {
    const message = builtMessage();
    expect(await poster().post(settings, message)).toBe("sent");
    expect(await poster().post(settings, message)).toBe("already-sent");

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channelId: "10", content: `**Daily digest** · ${DATE}` });
    expect(await store.getSlot("1", DATE)).toMatchObject({ state: "sent", messageId: "m1", nonce: sent[0]!.nonce });
    const shown = [...(await store.listShown("1", "term")), ...(await store.listShown("1", "spotlight"))];
    expect(shown.map((entry) => entry.entryId).sort()).toEqual(message.shown.map((entry) => entry.entryId).sort());
  });

  it("after a claim an earlier run left, records the digest it finds in the channel instead of sending", async () => {
    await store.claimSlot("1", DATE, "earlier-nonce");
    const history = async () => [{ id: "m-earlier", authorId: "bot", content: `**Daily digest** · ${DATE}` }];
    expect(await poster(undefined, history).post(settings, builtMessage())).toBe("found-posted");
    expect(sent).toEqual([]);
    expect(await store.getSlot("1", DATE)).toMatchObject({ state: "sent", messageId: "m-earlier" });
  });

  it("a channel that is gone turns the digest off and skips the day", async () => {
    const gone: SendMessage = async () => {
      throw Object.assign(new Error("Unknown Channel"), { status: 404 });
    };
    expect(await poster(gone).post(settings, builtMessage())).toBe("disabled");
    expect(await store.getDigest("1")).toMatchObject({ enabled: false });
    expect(await store.getSlot("1", DATE)).toMatchObject({ state: "skipped" });
    expect(await store.listShown("1", "term")).toEqual([]);
  });
});
