import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["kaivo-source", "node", "development|production"] } },
  test: { name: "cli", passWithNoTests: true, include: ["src/**/*.test.ts", "test/**/*.test.ts"], environment: "node", testTimeout: 60_000 },
});
