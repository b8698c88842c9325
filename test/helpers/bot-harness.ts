import { Writable } from "node:stream";
import { onTestFinished } from "vitest";
import type { AnyCommand } from "../../commands/index.ts";
import { loadKnowledge } from "../../src/answers/knowledge-loader.ts";
import { type RunningBot, startBot } from "../../src/bot/bot.ts";
import { KnowledgeHolder } from "../../src/bot/knowledge-holder.ts";
import { createLogger } from "../../src/bot/logger.ts";
import { FakeDiscord, type FakeDiscordOptions, ids } from "../fake-discord/index.ts";

export const TEST_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.fake-signature.fake-hmac-for-tests";

/** Log lines the bot wrote, parsed. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
      this.raw.push(line);
      this.lines.push(JSON.parse(line));
    }
    done();
  }
  find(predicate: (line: Record<string, unknown>) => boolean) {
    return this.lines.find(predicate);
  }
}

export interface Harness {
  fake: FakeDiscord;
  bot: RunningBot;
  logs: LogCapture;
  holder: KnowledgeHolder;
}

export interface HarnessOptions {
  fake?: FakeDiscordOptions;
  contentDir?: string;
  commands?: readonly AnyCommand[];
}

/** The fake Discord and the real bot (real discord.js client) logged into it; both stop after the test. */
export async function startHarness({ fake: fakeOptions, contentDir, commands }: HarnessOptions = {}): Promise<Harness> {
  const fake = await FakeDiscord.start(fakeOptions);
  const logs = new LogCapture();
  const logger = createLogger("debug", logs);
  const loaded = loadKnowledge(contentDir);
  if (!loaded.knowledge) throw new Error("test content has errors");
  const holder = new KnowledgeHolder(loaded.knowledge, contentDir);
  let bot: RunningBot | undefined;
  onTestFinished(async () => {
    await bot?.stop();
    await fake.stop();
  });
  bot = await startBot({
    config: { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_BASE: fake.apiBase, OWNER_IDS: [ids.owner] },
    holder,
    logger,
    client: { rest: { retries: 1, timeout: 2000 }, waitGuildTimeout: 500 },
    readyTimeoutMs: 10_000,
    ...(commands ? { commands } : {}),
  });
  return { fake, bot, logs, holder };
}

/** The callback body Discord received for an interaction. */
export async function callbackData(fake: FakeDiscord, interactionId: string) {
  const request = await fake.callbackFor(interactionId);
  // biome-ignore lint/suspicious/noExplicitAny: tests read deep into Discord's JSON by known paths
  return request.body as { type: number; data?: Record<string, any> };
}
