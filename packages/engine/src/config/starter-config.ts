import { PLACEHOLDER_ID } from "./config.js";

/** What `kaivo init` writes: every field a user needs, with placeholders to replace (run and check refuse them). */
export function starterConfig(): string {
  return `${JSON.stringify(
    {
      tenantId: PLACEHOLDER_ID,
      clientId: PLACEHOLDER_ID,
      userId: "object id of the user whose deleted groups and apps to list (optional)",
      graph: { baseUrl: "https://graph.microsoft.com/v1.0", loginUrl: "https://login.microsoftonline.com" },
      warehouse: { type: "duckdb", path: "kaivo.duckdb" },
    },
    null,
    2,
  )}\n`;
}
