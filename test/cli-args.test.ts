import { describe, expect, it, vi } from "vitest";
import { readCliArgs } from "../src/cli/cli-args.ts";

const USAGE = "Usage: npm run -s example -- [--content DIR]";

describe("readCliArgs", () => {
  it("returns the flags it was given", () => {
    const parsed = readCliArgs({ args: ["--content", "x"], options: { content: { type: "string" } } }, USAGE);
    expect(parsed).toMatchObject({ values: { content: "x" } });
  });

  it("answers an unknown flag with the usage and exit code 2, not a stack trace", () => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    const parsed = readCliArgs({ args: ["--bogus"], options: { content: { type: "string" } } }, USAGE);
    expect(parsed).toEqual({ exitCode: 2 });
    expect(printed.mock.calls[0]?.[0]).toBe(`Unknown option '--bogus'\n${USAGE}`);
    printed.mockRestore();
  });

  it("answers a flag missing its value the same way", () => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(readCliArgs({ args: ["--content"], options: { content: { type: "string" } } }, USAGE)).toEqual({
      exitCode: 2,
    });
    expect(printed.mock.calls[0]?.[0]).toContain(USAGE);
    printed.mockRestore();
  });

  it("prints the usage for --help and exits 0", () => {
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(readCliArgs({ args: ["--help"], options: {} }, USAGE)).toEqual({ exitCode: 0 });
    expect(printed).toHaveBeenCalledWith(USAGE);
    printed.mockRestore();
  });
});
