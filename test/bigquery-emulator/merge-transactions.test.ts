import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type EmulatorFixture } from "./client.js";

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startFixture();
  await fx.bq.createDataset("m");
});
afterAll(async () => {
  await fx?.emulator.close();
});

beforeEach(async () => {
  await fx.bq.query(
    "CREATE OR REPLACE TABLE m.users (id STRING NOT NULL, name STRING, tags ARRAY<STRING>, _deleted BOOL, _synced_at TIMESTAMP) CLUSTER BY id",
  );
  await fx.bq.query("CREATE OR REPLACE TABLE m._state (stream STRING, cursor STRING)");
  await fx.bq.query("INSERT INTO m.users (id, name, tags, _deleted, _synced_at) VALUES ('1', 'Ann', ['a'], FALSE, TIMESTAMP '2024-01-01 00:00:00 UTC'), ('2', 'Bob', [], FALSE, TIMESTAMP '2024-01-01 00:00:00 UTC')");
  await fx.bq.query("INSERT INTO m._state (stream, cursor) VALUES ('users', 'c0')");
  await fx.bq.query(
    "CREATE OR REPLACE TABLE m._stg_users (id STRING NOT NULL, name STRING, tags ARRAY<STRING>, _deleted BOOL, _synced_at TIMESTAMP)",
  );
});

const MERGE_USERS = `MERGE \`kaivo-emulator.m.users\` T
USING (SELECT * FROM \`kaivo-emulator.m._stg_users\` QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY _synced_at DESC) = 1) S
ON T.id = S.id
WHEN MATCHED AND S._deleted THEN DELETE
WHEN MATCHED THEN UPDATE SET name = S.name, tags = S.tags, _deleted = S._deleted, _synced_at = S._synced_at
WHEN NOT MATCHED BY TARGET THEN INSERT ROW`;

const MERGE_STATE = `MERGE m._state T USING (SELECT 'users' AS stream, @cursor AS cursor) S ON T.stream = S.stream
WHEN MATCHED THEN UPDATE SET cursor = S.cursor
WHEN NOT MATCHED THEN INSERT (stream, cursor) VALUES (S.stream, S.cursor)`;

describe("MERGE upserts in a transaction", () => {
  it("applies data and state MERGEs atomically and reports per-statement DML stats", async () => {
    await fx.bq.query(
      "INSERT INTO m._stg_users (id, name, tags, _deleted, _synced_at) VALUES " +
        "('1', 'Ann v2', ['a','b'], FALSE, CURRENT_TIMESTAMP()), ('1', 'Ann old', [], FALSE, TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 DAY))," +
        "('2', NULL, [], TRUE, CURRENT_TIMESTAMP()), ('3', 'Cy', ['x'], FALSE, CURRENT_TIMESTAMP())",
    );
    const script = `BEGIN TRANSACTION;\n${MERGE_USERS};\n${MERGE_STATE};\nCOMMIT TRANSACTION;`;
    const [job] = await fx.bq.createQueryJob({ query: script, params: { cursor: "c1" } });
    await job.getQueryResults();
    const [metadata] = await job.getMetadata();
    expect(metadata.statistics.query.statementType).toBe("SCRIPT");
    expect(metadata.statistics.numChildJobs).toBe("4");

    expect(await fx.emulator.query("SELECT id, name, tags FROM m.users ORDER BY id")).toEqual([
      { id: "1", name: "Ann v2", tags: ["a", "b"] },
      { id: "3", name: "Cy", tags: ["x"] },
    ]);
    expect(await fx.emulator.query("SELECT cursor FROM m._state")).toEqual([{ cursor: "c1" }]);

    const children = fx.emulator.jobs().filter((j) => j.parentJobId === job.id);
    expect(children.map((c) => c.statementType)).toEqual(["BEGIN_TRANSACTION", "MERGE", "MERGE", "COMMIT_TRANSACTION"]);
    expect(children[1]?.dml).toEqual({ inserted: 1, updated: 1, deleted: 1 });
    expect(children[2]?.dml).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(fx.emulator.jobs().find((j) => j.id === job.id)?.dmlAffectedRows).toBe(4);

    const [childJobs] = await fx.bq.getJobs({ parentJobId: job.id ?? "" });
    expect(childJobs).toHaveLength(4);
  });

  it("single-statement DML through bigquery.query() returns numDmlAffectedRows and dmlStats", async () => {
    await fx.bq.query("INSERT INTO m._stg_users (id, name, tags, _deleted, _synced_at) VALUES ('2', 'Bob v2', [], FALSE, CURRENT_TIMESTAMP()), ('4', 'Dee', [], FALSE, CURRENT_TIMESTAMP())");
    const [rows, , response] = await fx.bq.query(MERGE_USERS);
    expect(rows).toEqual([]);
    expect(response).toMatchObject({ numDmlAffectedRows: "2", dmlStats: { insertedRowCount: "1", updatedRowCount: "1", deletedRowCount: "0" } });
  });

  it("fails a MERGE that matches one target row with several source rows, as BigQuery does", async () => {
    await fx.bq.query("INSERT INTO m._stg_users (id, name, tags, _deleted, _synced_at) VALUES ('1', 'A', [], FALSE, CURRENT_TIMESTAMP()), ('1', 'B', [], FALSE, CURRENT_TIMESTAMP())");
    await expect(
      fx.bq.query("MERGE m.users T USING m._stg_users S ON T.id = S.id WHEN MATCHED THEN UPDATE SET name = S.name WHEN NOT MATCHED THEN INSERT ROW"),
    ).rejects.toMatchObject({ code: 400, errors: [{ reason: "invalidQuery", message: expect.stringContaining("UPDATE/MERGE must match at most one source row for each target row") }] });
    expect(await fx.emulator.query("SELECT name FROM m.users WHERE id = '1'")).toEqual([{ name: "Ann" }]);
  });

  it("rolls the whole transaction back when a later statement fails", async () => {
    await fx.bq.query("INSERT INTO m._stg_users (id, name, tags, _deleted, _synced_at) VALUES ('1', 'changed', [], FALSE, CURRENT_TIMESTAMP())");
    const failing = `BEGIN TRANSACTION;\n${MERGE_USERS};\nUPDATE m._state SET cursor = CAST('not a number' AS INT64) WHERE TRUE;\nCOMMIT TRANSACTION;`;
    await expect(fx.bq.query(failing)).rejects.toMatchObject({ code: 400, errors: [{ reason: "invalidQuery" }] });
    expect(await fx.emulator.query("SELECT name FROM m.users WHERE id = '1'")).toEqual([{ name: "Ann" }]);
    expect(await fx.emulator.query("SELECT cursor FROM m._state")).toEqual([{ cursor: "c0" }]);
    // the connection is usable afterwards (no transaction left open)
    await fx.bq.query("UPDATE m._state SET cursor = 'c9' WHERE stream = 'users'");
    expect(await fx.emulator.query("SELECT cursor FROM m._state")).toEqual([{ cursor: "c9" }]);
  });

  it("rolls back a script that never commits, and refuses permanent DDL inside a transaction", async () => {
    await expect(fx.bq.query("BEGIN TRANSACTION; DELETE FROM m.users WHERE TRUE;")).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining("Transaction was not committed") }],
    });
    expect((await fx.emulator.query("SELECT count(*) AS n FROM m.users"))[0]).toEqual({ n: 2 });
    await expect(fx.bq.query("BEGIN TRANSACTION; CREATE TABLE m.nope (a STRING); COMMIT TRANSACTION;")).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining("not supported inside a multi-statement transaction") }],
    });
  });

  it("without a transaction, statements before the failing one stay applied", async () => {
    await expect(fx.bq.query("UPDATE m.users SET name = 'kept' WHERE id = '1'; SELECT * FROM m.missing_table;")).rejects.toMatchObject({
      code: 404,
      errors: [{ reason: "notFound" }],
    });
    expect(await fx.emulator.query("SELECT name FROM m.users WHERE id = '1'")).toEqual([{ name: "kept" }]);
  });

  it("supports ON FALSE + NOT MATCHED BY SOURCE DELETE as an atomic slice replace, TRUNCATE and INSERT ... SELECT", async () => {
    await fx.bq.query("INSERT INTO m._stg_users SELECT '9' AS id, 'Zed' AS name, ['z'] AS tags, FALSE AS _deleted, CURRENT_TIMESTAMP() AS _synced_at");
    await fx.bq.query("MERGE m.users T USING m._stg_users S ON FALSE WHEN NOT MATCHED BY SOURCE THEN DELETE WHEN NOT MATCHED THEN INSERT ROW");
    expect(await fx.emulator.query("SELECT id FROM m.users")).toEqual([{ id: "9" }]);
    await fx.bq.query("TRUNCATE TABLE m.users");
    expect(await fx.emulator.query("SELECT count(*) AS n FROM m.users")).toEqual([{ n: 0 }]);
  });
});
