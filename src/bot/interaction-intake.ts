import type { Client, Interaction } from "discord.js";
import type { Dispatcher } from "./dispatcher.ts";
import type { Logger } from "./logger.ts";
import { mendInteraction } from "./raw-interaction-guard.ts";

/** The part of discord.js that turns a raw INTERACTION_CREATE into an Interaction (not in its typings). */
interface InteractionActions {
  actions: { InteractionCreate: { handle(data: unknown): void } };
}

/**
 * Where interactions enter the dispatcher, from either transport. The gateway's arrive as
 * discord.js events; HTTP's are raw JSON, built into the very same Interaction classes by the same
 * discord.js action the gateway uses, so the dispatcher cannot tell them apart.
 */
export class InteractionIntake {
  /** HTTP deliveries waiting for the dispatcher's promise, by interaction id. */
  private readonly waiting = new Map<string, (work: Promise<void>) => void>();

  constructor(
    private readonly client: Client,
    dispatcher: Dispatcher,
    private readonly logger: Logger,
  ) {
    client.on("interactionCreate", (interaction: Interaction) => {
      const work = dispatcher.handle(interaction);
      this.waiting.get(interaction.id)?.(work);
    });
  }

  /** Dispatches an interaction that came over HTTP (already verified); settles when it is answered or dropped. */
  async receive(data: Record<string, unknown>): Promise<void> {
    const problems = mendInteraction(data);
    if (problems.length > 0) {
      this.logger.warn({ interactionId: data.id, type: data.type, problems }, "malformed interaction");
    }
    let work: Promise<void> = Promise.resolve();
    this.waiting.set(String(data.id), (started) => {
      work = started;
    });
    try {
      // discord.js builds the interaction and emits interactionCreate synchronously.
      (this.client as unknown as InteractionActions).actions.InteractionCreate.handle(data);
    } finally {
      this.waiting.delete(String(data.id));
    }
    await work;
  }
}
