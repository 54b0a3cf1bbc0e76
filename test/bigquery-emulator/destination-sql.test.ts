import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixture, type EmulatorFixture } from "./client.js";
import { ndjsonFile } from "./ndjson-file.js";

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startFixture();
  await fx.bq.createDataset("dst");
});
afterAll(async () => {
  await fx?.emulator.close();
});

// SQL in the shape a BigQuery destination sends: staged load, dedupe, MERGE with soft delete, state, cleanup.
describe("destination-style SQL", () => {
  it("runs a staged sync end to end", async () => {
    await fx.bq.dataset("dst").createTable("users", {
      schema: {
        fields: [
          { name: "id", type: "STRING", mode: "REQUIRED" },
          { name: "display_name", type: "STRING" },
          { name: "proxy_addresses", type: "STRING", mode: "REPEATED" },
          { name: "manager", type: "RECORD", fields: [{ name: "id", type: "STRING" }] },
          { name: "raw", type: "JSON" },
          { name: "_synced_at", type: "TIMESTAMP" },
          { name: "_deleted_at", type: "TIMESTAMP" },
        ],
      },
      clustering: { fields: ["id"] },
    });
    await fx.bq.query("CREATE TABLE IF NOT EXISTS `kaivo-emulator.dst._kaivo_state` (stream STRING NOT NULL, cursor STRING, updated_at TIMESTAMP)");
    const stgSchema = {
      fields: [
        { name: "id", type: "STRING", mode: "REQUIRED" },
        { name: "display_name", type: "STRING" },
        { name: "proxy_addresses", type: "STRING", mode: "REPEATED" },
        { name: "manager", type: "RECORD", fields: [{ name: "id", type: "STRING" }] },
        { name: "raw", type: "JSON" },
        { name: "_synced_at", type: "TIMESTAMP" },
        { name: "_deleted", type: "BOOLEAN" },
      ],
    };
    const file = ndjsonFile([
      { id: "u1", display_name: "Ann", proxy_addresses: ["SMTP:ann@x"], manager: { id: "m1" }, raw: { "@odata.type": "#microsoft.graph.user" }, _synced_at: "2024-06-01T00:00:00.0000001Z", _deleted: false },
      { id: "u1", display_name: "Ann (new)", proxy_addresses: [], manager: null, raw: {}, _synced_at: "2024-06-01T00:00:01Z", _deleted: false },
      { id: "u2", display_name: "Bob", proxy_addresses: [], manager: null, raw: null, _synced_at: "2024-06-01T00:00:00Z", _deleted: true },
    ]);
    try {
      await fx.bq.dataset("dst").table("_stg_users_r1").load(file.path, { sourceFormat: "NEWLINE_DELIMITED_JSON", schema: stgSchema, writeDisposition: "WRITE_TRUNCATE" });
    } finally {
      file.cleanup();
    }
    await fx.bq.query({
      query: `BEGIN TRANSACTION;
MERGE \`kaivo-emulator.dst.users\` AS T
USING (
  SELECT * EXCEPT (_deleted), _deleted FROM \`kaivo-emulator.dst._stg_users_r1\`
  WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY _synced_at DESC) = 1
) AS S
ON T.id = S.id
WHEN MATCHED AND S._deleted THEN UPDATE SET _deleted_at = CURRENT_TIMESTAMP()
WHEN MATCHED THEN UPDATE SET display_name = S.display_name, proxy_addresses = S.proxy_addresses, manager = S.manager, raw = S.raw, _synced_at = S._synced_at, _deleted_at = NULL
WHEN NOT MATCHED BY TARGET AND NOT S._deleted THEN
  INSERT (id, display_name, proxy_addresses, manager, raw, _synced_at) VALUES (S.id, S.display_name, S.proxy_addresses, S.manager, S.raw, S._synced_at);
MERGE \`kaivo-emulator.dst._kaivo_state\` T USING (SELECT @stream AS stream, @cursor AS cursor) S ON T.stream = S.stream
WHEN MATCHED THEN UPDATE SET cursor = S.cursor, updated_at = CURRENT_TIMESTAMP()
WHEN NOT MATCHED THEN INSERT (stream, cursor, updated_at) VALUES (S.stream, S.cursor, CURRENT_TIMESTAMP());
COMMIT TRANSACTION;`,
      params: { stream: "users", cursor: "delta-token-1" },
    });
    await fx.bq.query("DROP TABLE IF EXISTS `kaivo-emulator.dst._stg_users_r1`");

    const [users] = await fx.bq.query(
      "SELECT id, display_name, ARRAY_LENGTH(proxy_addresses) AS n_proxy, manager.id AS manager_id, JSON_VALUE(raw, '$.\"@odata.type\"') AS odata_type, " +
        "UNIX_MICROS(_synced_at) AS synced_us, _deleted_at IS NULL AS live FROM dst.users ORDER BY id",
    );
    expect(users).toEqual([{ id: "u1", display_name: "Ann (new)", n_proxy: 0, manager_id: null, odata_type: null, synced_us: 1717200001000000, live: true }]);
    expect(await fx.emulator.query("SELECT stream, cursor FROM dst._kaivo_state")).toEqual([{ stream: "users", cursor: "delta-token-1" }]);
    expect(fx.emulator.requests.some((r) => r.operation === "tabledata.insertAll")).toBe(false);
    const [tables] = await fx.bq.dataset("dst").getTables();
    expect(tables.map((t) => t.id).sort()).toEqual(["_kaivo_state", "users"]);
  });

  it("runs UPDATE ... FROM, DELETE with a subquery, INSERT ... SELECT, CTAS with QUALIFY and a view", async () => {
    await fx.bq.query("CREATE OR REPLACE TABLE dst.a (id STRING, v INT64, tags ARRAY<STRING>)");
    await fx.bq.query("INSERT INTO dst.a (id, v, tags) SELECT CONCAT('a', CAST(x AS STRING)), x, [CAST(x AS STRING)] FROM UNNEST(GENERATE_ARRAY(1, 5)) AS x");
    await fx.bq.query("CREATE OR REPLACE TABLE dst.b AS SELECT id, v * 10 AS v FROM dst.a WHERE v <= 2");
    await fx.bq.query("UPDATE dst.a SET v = b.v FROM dst.b WHERE a.id = b.id");
    await fx.bq.query("DELETE FROM dst.a WHERE id IN (SELECT id FROM dst.b WHERE v > 10)");
    await fx.bq.query("CREATE OR REPLACE TABLE dst.c AS SELECT * FROM dst.a WHERE TRUE QUALIFY ROW_NUMBER() OVER (ORDER BY v DESC) <= 2");
    await fx.bq.query("CREATE OR REPLACE VIEW dst.v AS SELECT STRING_AGG(id, ',' ORDER BY id) AS ids, SUM(v) AS total FROM dst.a");
    expect(await fx.emulator.query("SELECT id, v, tags FROM dst.a ORDER BY id")).toEqual([
      { id: "a1", v: 10, tags: ["1"] }, { id: "a3", v: 3, tags: ["3"] }, { id: "a4", v: 4, tags: ["4"] }, { id: "a5", v: 5, tags: ["5"] },
    ]);
    expect(await fx.emulator.query("SELECT id FROM dst.c ORDER BY id")).toEqual([{ id: "a1" }, { id: "a5" }]);
    expect(await fx.emulator.query("SELECT * FROM dst.v")).toEqual([{ ids: "a1,a3,a4,a5", total: 22 }]);
  });

  it("runs UNNEST ... WITH OFFSET and SAFE.PARSE_JSON as the model dialect writes them", async () => {
    const [rows] = await fx.bq.query(
      "SELECT t.id, item, i, JSON_VALUE(SAFE.PARSE_JSON(t.doc), '$.k') AS k FROM (SELECT 'r1' AS id, ['x', 'y'] AS items, '{\"k\":\"v\"}' AS doc UNION ALL SELECT 'r2', [], 'not json') AS t " +
        "LEFT JOIN UNNEST(t.items) AS item WITH OFFSET AS i ON TRUE ORDER BY t.id, i",
    );
    expect(rows).toEqual([
      { id: "r1", item: "x", i: 0, k: "v" },
      { id: "r1", item: "y", i: 1, k: "v" },
      { id: "r2", item: null, i: null, k: null },
    ]);
  });

  it("fails a query over maximumBytesBilled with bytesBilledLimitExceeded", async () => {
    await expect(fx.bq.query({ query: "SELECT * FROM dst.a", maximumBytesBilled: "1000" })).rejects.toMatchObject({
      code: 400,
      errors: [{ reason: "bytesBilledLimitExceeded" }],
    });
  });
});
