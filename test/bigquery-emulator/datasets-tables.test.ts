import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixture, type EmulatorFixture } from "./client.js";

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.emulator.close();
});

const USERS_SCHEMA = [
  { name: "id", type: "STRING", mode: "REQUIRED", description: "object id" },
  { name: "displayName", type: "STRING" },
  { name: "tags", type: "STRING", mode: "REPEATED" },
  { name: "addr", type: "RECORD", fields: [{ name: "city", type: "STRING" }, { name: "zip", type: "INT64" }] },
  { name: "phones", type: "RECORD", mode: "REPEATED", fields: [{ name: "kind", type: "STRING" }, { name: "num", type: "STRING" }] },
  { name: "raw", type: "JSON" },
  { name: "score", type: "FLOAT64" },
  { name: "active", type: "BOOL" },
  { name: "_synced_at", type: "TIMESTAMP" },
];

describe("datasets", () => {
  it("creates a dataset, reports it as existing, and returns its metadata", async () => {
    const [dataset] = await fx.bq.createDataset("ds_main", { labels: { source: "entra" }, description: "main" });
    const [exists] = await dataset.exists();
    expect(exists).toBe(true);
    const [metadata] = await dataset.getMetadata();
    expect(metadata).toMatchObject({ datasetReference: { datasetId: "ds_main", projectId: "kaivo-emulator" }, location: "US", labels: { source: "entra" }, description: "main" });
  });

  it("rejects a duplicate dataset with 409 duplicate", async () => {
    await fx.bq.createDataset("ds_dup");
    await expect(fx.bq.createDataset("ds_dup")).rejects.toMatchObject({
      code: 409,
      errors: [{ reason: "duplicate", domain: "global", message: "Already Exists: Dataset kaivo-emulator:ds_dup" }],
    });
  });

  it("reports a missing dataset as not existing (404 notFound)", async () => {
    const [exists] = await fx.bq.dataset("nope").exists();
    expect(exists).toBe(false);
    await expect(fx.bq.dataset("nope").getMetadata()).rejects.toMatchObject({ code: 404, errors: [{ reason: "notFound" }] });
  });

  it("lists datasets and refuses to delete a non-empty one without deleteContents", async () => {
    const [dataset] = await fx.bq.createDataset("ds_del");
    await dataset.createTable("t", { schema: "a:STRING" });
    const [datasets] = await fx.bq.getDatasets();
    expect(datasets.map((d) => d.id)).toEqual(expect.arrayContaining(["ds_main", "ds_del"]));
    await expect(dataset.delete()).rejects.toMatchObject({ code: 400, errors: [{ reason: "resourceInUse" }] });
    await dataset.delete({ force: true });
    expect((await dataset.exists())[0]).toBe(false);
  });
});

describe("tables", () => {
  it("creates a table with a nested schema and returns it with legacy type names", async () => {
    const dataset = fx.bq.dataset("ds_main");
    const expiration = Date.now() + 3600_000;
    await dataset.createTable("users", {
      schema: { fields: USERS_SCHEMA },
      clustering: { fields: ["id"] },
      timePartitioning: { type: "DAY", field: "_synced_at" },
      expirationTime: String(expiration),
      labels: { entity: "users" },
    });
    const [metadata] = await dataset.table("users").getMetadata();
    expect(metadata.schema.fields).toEqual([
      { name: "id", type: "STRING", mode: "REQUIRED", description: "object id" },
      { name: "displayName", type: "STRING", mode: "NULLABLE" },
      { name: "tags", type: "STRING", mode: "REPEATED" },
      { name: "addr", type: "RECORD", mode: "NULLABLE", fields: [{ name: "city", type: "STRING", mode: "NULLABLE" }, { name: "zip", type: "INTEGER", mode: "NULLABLE" }] },
      { name: "phones", type: "RECORD", mode: "REPEATED", fields: [{ name: "kind", type: "STRING", mode: "NULLABLE" }, { name: "num", type: "STRING", mode: "NULLABLE" }] },
      { name: "raw", type: "JSON", mode: "NULLABLE" },
      { name: "score", type: "FLOAT", mode: "NULLABLE" },
      { name: "active", type: "BOOLEAN", mode: "NULLABLE" },
      { name: "_synced_at", type: "TIMESTAMP", mode: "NULLABLE" },
    ]);
    expect(metadata).toMatchObject({
      tableReference: { projectId: "kaivo-emulator", datasetId: "ds_main", tableId: "users" },
      clustering: { fields: ["id"] },
      timePartitioning: { type: "DAY", field: "_synced_at" },
      expirationTime: String(expiration),
      labels: { entity: "users" },
      numRows: "0",
      type: "TABLE",
    });
  });

  it("rejects a duplicate table with 409 and reports a missing one with 404", async () => {
    const dataset = fx.bq.dataset("ds_main");
    await expect(dataset.createTable("users", { schema: "a:STRING" })).rejects.toMatchObject({ code: 409, errors: [{ reason: "duplicate" }] });
    expect((await dataset.table("missing").exists())[0]).toBe(false);
    await expect(dataset.table("missing").getMetadata()).rejects.toMatchObject({ code: 404, errors: [{ reason: "notFound" }] });
  });

  it("patches the schema: adds a top-level column and a RECORD sub-field (of a REPEATED one too), relaxes REQUIRED", async () => {
    const table = fx.bq.dataset("ds_main").table("users");
    const [before] = await table.getMetadata();
    const fields = before.schema.fields.map((f: { name: string; fields?: object[] }) =>
      f.name === "addr" || f.name === "phones" ? { ...f, fields: [...(f.fields ?? []), { name: "country", type: "STRING" }] } : f.name === "id" ? { ...f, mode: "NULLABLE" } : f,
    );
    await table.setMetadata({ schema: { fields: [...fields, { name: "extra", type: "STRING" }] } });
    const [after] = await table.getMetadata();
    const names = after.schema.fields.map((f: { name: string }) => f.name);
    expect(names[names.length - 1]).toBe("extra");
    expect(after.schema.fields.find((f: { name: string }) => f.name === "addr").fields.map((f: { name: string }) => f.name)).toEqual(["city", "zip", "country"]);
    expect(after.schema.fields.find((f: { name: string }) => f.name === "phones").fields.map((f: { name: string }) => f.name)).toEqual(["kind", "num", "country"]);
    expect(after.schema.fields[0]).toMatchObject({ name: "id", mode: "NULLABLE" });
    expect(after.labels).toEqual({ entity: "users" });
  });

  it("refuses a patch that drops or retypes a column", async () => {
    const table = fx.bq.dataset("ds_main").table("users");
    const [metadata] = await table.getMetadata();
    await expect(table.setMetadata({ schema: { fields: metadata.schema.fields.slice(1) } })).rejects.toMatchObject({
      code: 400,
      errors: [{ reason: "invalid", message: expect.stringContaining("Field id is missing in new schema") }],
    });
    const retyped = metadata.schema.fields.map((f: { name: string }) => (f.name === "score" ? { ...f, type: "STRING" } : f));
    await expect(table.setMetadata({ schema: { fields: retyped } })).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining("has changed type from FLOAT to STRING") }],
    });
  });

  it("creates a table through SQL DDL with STRUCT/ARRAY/JSON types and CLUSTER BY, visible through tables.get", async () => {
    await fx.bq.query(
      "CREATE TABLE IF NOT EXISTS `kaivo-emulator.ds_main.ddl_t` (id STRING NOT NULL, tags ARRAY<STRING>, addr STRUCT<city STRING, geo STRUCT<lat FLOAT64>>, raw JSON, n INT64, ok BOOL, ts TIMESTAMP) " +
        "PARTITION BY DATE(ts) CLUSTER BY id OPTIONS (description = 'from DDL')",
    );
    const [metadata] = await fx.bq.dataset("ds_main").table("ddl_t").getMetadata();
    expect(metadata.schema.fields.map((f: { name: string; type: string; mode: string }) => `${f.name}:${f.type}:${f.mode}`)).toEqual([
      "id:STRING:REQUIRED", "tags:STRING:REPEATED", "addr:RECORD:NULLABLE", "raw:JSON:NULLABLE", "n:INTEGER:NULLABLE", "ok:BOOLEAN:NULLABLE", "ts:TIMESTAMP:NULLABLE",
    ]);
    expect(metadata).toMatchObject({ clustering: { fields: ["id"] }, timePartitioning: { type: "DAY", field: "ts" }, description: "from DDL" });
    // IF NOT EXISTS on an existing table is a no-op
    await fx.bq.query("CREATE TABLE IF NOT EXISTS ds_main.ddl_t (x STRING)");
    await fx.bq.query("ALTER TABLE ds_main.ddl_t ADD COLUMN IF NOT EXISTS later STRING, ADD COLUMN IF NOT EXISTS n INT64");
    const [altered] = await fx.bq.dataset("ds_main").table("ddl_t").getMetadata();
    expect(altered.schema.fields.map((f: { name: string }) => f.name)).toContain("later");
  });

  it("deletes a table (204) and DROP TABLE IF EXISTS tolerates a missing one", async () => {
    const dataset = fx.bq.dataset("ds_main");
    await dataset.createTable("gone", { schema: "a:STRING" });
    await dataset.table("gone").delete();
    expect((await dataset.table("gone").exists())[0]).toBe(false);
    await fx.bq.query("DROP TABLE IF EXISTS ds_main.gone");
    const del = fx.emulator.requests.find((r) => r.method === "DELETE" && r.path.endsWith("/tables/gone"));
    expect(del?.status).toBe(204);
  });
});
