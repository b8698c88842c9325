import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A real PostgreSQL server for the store suite and the multi-instance tests.
    globalSetup: ["test/setup/postgres-server.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // End-to-end files start servers on ephemeral ports; two workers suit a 2-core machine.
    maxWorkers: 2,
  },
});
