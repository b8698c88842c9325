import type { AutocompleteInteraction } from "discord.js";
import { maxLengthOf } from "../command-kit/options.ts";
import { servicesFor } from "../command-kit/services.ts";
import type { DispatcherDeps } from "./dispatcher.ts";
import { contextOf, focusedOption, handleOf, isUnknownInteraction } from "./interaction-facts.ts";
import type { Outcome } from "./reply-plan.ts";

/** Suggestions as the user types: the command's own, or an empty list (which closes the user's spinner). */
export async function answerAutocomplete(deps: DispatcherDeps, interaction: AutocompleteInteraction): Promise<Outcome> {
  const handle = handleOf(interaction);
  let outcome: Outcome = "answered";
  try {
    const module = deps.registry.get(interaction.commandName);
    const focused = focusedOption(interaction);
    if (!focused) {
      outcome = "malformed";
      deps.logger.warn(
        { interactionId: interaction.id, command: interaction.commandName },
        "autocomplete without a focused option",
      );
    }
    // A command this instance cannot run suggests nothing.
    const services = module ? servicesFor(module, deps.services) : null;
    const choices =
      module?.autocomplete && focused && services
        ? await module.autocomplete(
            { ...contextOf(interaction, deps.holder, deps.ownerIds), services },
            { name: focused.name, value: String(focused.value).slice(0, maxLengthOf(module.definition, focused.name)) },
          )
        : [];
    await deps.responder.autocomplete(handle, choices);
  } catch (error) {
    outcome = isUnknownInteraction(error) ? "expired" : "error";
    if (outcome === "error") {
      deps.logger.error({ err: error, command: interaction.commandName }, "autocomplete failed");
      // An empty list closes the user's spinner; a second failure is not worth more than a line.
      await deps.responder.autocomplete(handle, []).catch(() => undefined);
    }
  }
  return outcome;
}
