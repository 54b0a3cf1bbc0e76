import { describe, expect, test } from "vitest";
import { toColumnName, toColumns, type TableDeclaration } from "../src/index.js";

describe("toColumnName", () => {
  test.each([
    ["userPrincipalName", "user_principal_name"],
    ["@odata.type", "odata_type"],
    ["onPremisesSamAccountName", "on_premises_sam_account_name"],
    ["onPremisesSIDHistory", "on_premises_sid_history"],
    ["id", "id"],
    ["extensionAttribute15", "extension_attribute15"],
  ])("%s becomes %s", (graph, column) => expect(toColumnName(graph)).toBe(column));
});

describe("toColumns", () => {
  const declaration = (mode: "delta" | "full_refresh"): Pick<TableDeclaration, "schema" | "primaryKey" | "sync"> => ({
    sync: { mode },
    primaryKey: ["id"],
    schema: {
      type: "object",
      properties: {
        id: { type: "string" },
        createdDateTime: { type: ["string", "null"], format: "date-time" },
        hireDate: { type: ["string", "null"], format: "date" },
        objectId: { type: "string", format: "uuid" },
        accountEnabled: { type: ["boolean", "null"] },
        version: { type: "integer" },
        score: { type: "number" },
        tags: { type: "array", items: { type: "string" } },
        assignedLicenses: { type: "array", items: { type: "object", properties: { skuId: { type: "string" }, disabledPlans: { type: "array", items: { type: "string" } } } } },
        info: { type: ["object", "null"] },
        api: { type: "object", properties: { x: { type: "string" } }, "x-kaivo-as": "json" },
      },
    },
  });

  test("maps the design's types and appends the system columns", () => {
    expect(toColumns(declaration("delta")).map((c) => [c.name, c.type, c.mode])).toStrictEqual([
      ["id", "STRING", "REQUIRED"],
      ["created_date_time", "TIMESTAMP", "NULLABLE"],
      ["hire_date", "DATE", "NULLABLE"],
      ["object_id", "STRING", "NULLABLE"],
      ["account_enabled", "BOOL", "NULLABLE"],
      ["version", "INT64", "NULLABLE"],
      ["score", "FLOAT64", "NULLABLE"],
      ["tags", "STRING", "REPEATED"],
      ["assigned_licenses", "RECORD", "REPEATED"],
      ["info", "JSON", "NULLABLE"],
      ["api", "JSON", "NULLABLE"],
      ["_kaivo_synced_at", "TIMESTAMP", "REQUIRED"],
      ["_kaivo_deleted_at", "TIMESTAMP", "NULLABLE"],
      ["_kaivo_deleted_reason", "STRING", "NULLABLE"],
    ]);
  });

  test("a full-refresh table gets the same system columns, so views read every table alike whatever its sync mode", () => {
    expect(toColumns(declaration("full_refresh")).filter((c) => c.system).map((c) => c.name)).toStrictEqual(["_kaivo_synced_at", "_kaivo_deleted_at", "_kaivo_deleted_reason"]);
  });

  test("RECORD sub-fields are snake_case too and keep their Graph names for projection", () => {
    const licenses = toColumns(declaration("delta")).find((c) => c.name === "assigned_licenses");
    expect(licenses?.fields?.map((f) => [f.name, f.graphName, f.type, f.mode])).toStrictEqual([
      ["sku_id", "skuId", "STRING", "NULLABLE"],
      ["disabled_plans", "disabledPlans", "STRING", "REPEATED"],
    ]);
  });
});

describe("a field the type mapping cannot express", () => {
  test.each([
    [{}, 'has no type; a field needs exactly one JSON type (optionally with "null"), or "x-kaivo-as": "json" to be stored as JSON'],
    [{ type: ["string", "integer"] }, 'has type ["string","integer"]; a field needs exactly one JSON type (optionally with "null"), or "x-kaivo-as": "json" to be stored as JSON'],
  ])("%j is refused at its pointer: %s", (field, message) => {
    const d: Pick<TableDeclaration, "schema" | "primaryKey" | "sync"> = { sync: { mode: "full_refresh" }, primaryKey: ["id"], schema: { type: "object", properties: { id: { type: "string" }, odd: field } } };
    expect(() => toColumns(d)).toThrow(expect.objectContaining({ pointer: "/schema/properties/odd", message }));
  });
});
