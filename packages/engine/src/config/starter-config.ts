/** What `kaivo init` writes: every field a user needs, with placeholders to replace. */
export function starterConfig(): string {
  return `${JSON.stringify(
    {
      tenantId: "00000000-0000-0000-0000-000000000000",
      clientId: "00000000-0000-0000-0000-000000000000",
      userId: "object id of the user whose deleted groups and apps to list (optional)",
      graph: { baseUrl: "https://graph.microsoft.com/v1.0", loginUrl: "https://login.microsoftonline.com" },
      warehouse: { type: "duckdb", path: "kaivo.duckdb" },
    },
    null,
    2,
  )}\n`;
}
