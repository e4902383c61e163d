import { defineConfig } from "vitest/config";

// Three projects: infrastructure tests run every test file in a fresh worker with Pulumi mocks
// installed by the setup file (the offline preview's own capture); runtime and policy tests need no mocks.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: "infra",
          include: ["test/components/**/*.test.ts", "test/stacks/**/*.test.ts", "test/examples/**/*.test.ts"],
          setupFiles: ["test/setup/pulumi.mts", "test/fidelity/componentObjects.setup.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "offline",
          include: ["test/offline/**/*.test.ts", "test/check/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: "fidelity",
          include: ["test/fidelity/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "policies",
          include: ["test/policies/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "runtime",
          include: ["test/runtime/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
