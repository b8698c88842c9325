import { describe, expect, it } from "vitest";
import { commandModules, createRegistry } from "../commands/index.ts";
import { UserFacingError } from "../src/answers/user-facing-error.ts";
import type { CommandServices } from "../src/command-kit/definition.ts";
import { runCommand } from "../src/command-kit/execute.ts";
import { missingServices, servicesFor } from "../src/command-kit/services.ts";
import { standaloneContext } from "../src/command-kit/standalone-context.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

const needs = Object.fromEntries(commandModules.map((module) => [module.definition.name, module.needs ?? []]));

describe("commands declare the services they need", () => {
  it("the lookups need none; the admin and owner commands name theirs", () => {
    expect(needs).toMatchObject({
      ask: [],
      license: [],
      help: [],
      digest: ["digest", "channels"],
      gaps: ["gaps", "channels"],
      autoanswer: ["autoAnswer", "channels"],
      reload: ["content"],
    });
  });

  it("a command gets only what it declared, or nothing when one of them is missing", () => {
    const provided = { digest: {}, channels: {}, gaps: {} } as unknown as Partial<CommandServices>;
    const digest = commandModules.find((module) => module.definition.name === "digest")!;
    expect(Object.keys(servicesFor(digest, provided) ?? {})).toEqual(["digest", "channels"]);
    expect(missingServices(digest, provided)).toEqual([]);
    const reload = commandModules.find((module) => module.definition.name === "reload")!;
    expect(servicesFor(reload, provided)).toBeNull();
    expect(missingServices(reload, provided)).toEqual(["content"]);
  });

  it("where they are not provided (the terminal preview), one message says so", async () => {
    const context = standaloneContext(bundledKnowledge());
    const run = runCommand(createRegistry(), context, "digest", { subcommand: "status" });
    await expect(run).rejects.toThrow(UserFacingError);
    await expect(run).rejects.toThrow("/digest is not available here.");
  });
});
