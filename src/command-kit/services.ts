import { UserFacingError } from "../answers/user-facing-error.ts";
import type { CommandDefinition, CommandServices, ServiceName, ServicesOf } from "./definition.ts";

/** The part of a command module that says what it needs. */
interface Needing<S extends ServiceName> {
  definition: CommandDefinition;
  needs?: readonly S[];
}

/** The services a command needs that are not among those provided (none, for a command that can run). */
export function missingServices(module: Needing<ServiceName>, provided: Partial<CommandServices>): ServiceName[] {
  return (module.needs ?? []).filter((name) => provided[name] === undefined);
}

/** The command's declared services, and only those; null when one of them is not provided. */
export function servicesFor<S extends ServiceName>(
  module: Needing<S>,
  provided: Partial<CommandServices>,
): ServicesOf<S> | null {
  const services: Partial<CommandServices> = {};
  for (const name of module.needs ?? []) {
    const service = provided[name];
    if (service === undefined) return null;
    Object.assign(services, { [name]: service });
  }
  return services as ServicesOf<S>;
}

/**
 * The command's declared services, or the one message a user gets for a command this instance
 * cannot run (the terminal preview has no store, no digest, no Discord channels).
 */
export function requireServices<S extends ServiceName>(
  module: Needing<S>,
  provided: Partial<CommandServices>,
): ServicesOf<S> {
  const services = servicesFor(module, provided);
  if (!services) throw new UserFacingError(`/${module.definition.name} is not available here.`);
  return services;
}
