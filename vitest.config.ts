import { defineConfig } from "vitest/config";

// One root config so `vitest run` at the root runs every package plus the cross-package e2e suite.
export default defineConfig({
  test: {
    projects: [
      "packages/*",
      {
        ssr: { resolve: { conditions: ["kaivo-source", "node", "development|production"] } },
        test: { name: "e2e", include: ["test/**/*.test.ts"], environment: "node", setupFiles: ["test/support/loopback-only.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
