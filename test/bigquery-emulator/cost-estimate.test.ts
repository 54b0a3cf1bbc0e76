import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type EmulatorFixture } from "./client.js";

const MB = 1024 * 1024;
// 2,000 target rows of id 'k0000'… (2 + 5 bytes), payload of 100 'x' (2 + 100), n INT64 (8): 117 bytes a row.
const ROW = 7 + 102 + 8;
const TARGET = 2000 * ROW; // 234,000
const STAGING = 10 * ROW; // 1,170

let fx: EmulatorFixture;
beforeAll(async () => {
  // 10 modelled blocks for the 234,000-byte target (see estimateClusterPruning)
  fx = await startFixture({ clusterBlockBytes: TARGET / 10 });
  await fx.bq.createDataset("c");
});
beforeEach(async () => {
  await fx.bq.query(
    "CREATE OR REPLACE TABLE c.target CLUSTER BY id AS SELECT CONCAT('k', LPAD(CAST(x AS STRING), 4, '0')) AS id, REPEAT('x', 100) AS payload, x AS n FROM UNNEST(GENERATE_ARRAY(0, 1999)) AS x",
  );
});
afterAll(async () => {
  await fx?.emulator.close();
});

async function stage(keys: readonly number[]): Promise<void> {
  await fx.bq.query({
    query: "CREATE OR REPLACE TABLE c.stg AS SELECT CONCAT('k', LPAD(CAST(x AS STRING), 4, '0')) AS id, REPEAT('y', 100) AS payload, x AS n FROM UNNEST(@keys) AS x",
    params: { keys: [...keys] },
  });
}

function lastJob(sqlPrefix: string) {
  const job = [...fx.emulator.jobs()].reverse().find((j) => j.sql?.startsWith(sqlPrefix) === true);
  if (job === undefined) throw new Error(`no job for ${sqlPrefix}`);
  return job;
}

// Reads every target column: the key in ON, payload and n in SET's values.
const UPSERT = "MERGE c.target T USING c.stg S ON T.id = S.id WHEN MATCHED THEN UPDATE SET payload = SUBSTR(CONCAT(T.payload, S.payload), 1, 100), n = T.n + S.n WHEN NOT MATCHED THEN INSERT ROW";

describe("bytes processed estimate (q + t, bigquery.md §2.3)", () => {
  it("bills an insert-only MERGE for what it reads: the target's join column plus every staging column", async () => {
    await stage([5, 1990, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007]); // key range spans every block
    await fx.bq.query("MERGE c.target T USING c.stg S ON T.id = S.id WHEN NOT MATCHED THEN INSERT ROW");
    const job = lastJob("MERGE c.target T USING c.stg S ON T.id = S.id WHEN NOT MATCHED");
    expect(job.totalBytesProcessed).toBe(2000 * 7 + STAGING); // no t term without UPDATE/DELETE
    expect(job.totalBytesBilled).toBe(20 * MB); // 10 MB minimum for each of the two tables
    expect(job.dml).toEqual({ inserted: 8, updated: 0, deleted: 0 });
  });

  it("bills an insert-only MERGE that lists its columns the same: the target's columns it assigns are written, not read", async () => {
    await stage([5, 1990, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007]);
    await fx.bq.query("MERGE c.target AS T USING c.stg AS S ON T.id = S.id WHEN NOT MATCHED THEN INSERT (id, payload, n) VALUES (S.id, S.payload, S.n)");
    const job = lastJob("MERGE c.target AS T USING c.stg AS S ON T.id = S.id WHEN NOT MATCHED");
    expect(job.tableReads).toContainEqual({ table: "c.target", bytes: 2000 * 7, scannedFraction: 1 });
    expect(job.totalBytesProcessed).toBe(2000 * 7 + STAGING);
  });

  it("reads no target block when every staging key lies outside the clustered range", async () => {
    await stage([2000, 2001, 2002]);
    await fx.bq.query("MERGE c.target T USING c.stg S ON T.id = S.id WHEN NOT MATCHED THEN INSERT ROW");
    const job = lastJob("MERGE c.target T USING c.stg S ON T.id = S.id WHEN NOT MATCHED");
    expect(job.tableReads).toContainEqual({ table: "c.target", bytes: 0, scannedFraction: 0 });
    expect(job.totalBytesProcessed).toBe(3 * ROW);
  });

  it("adds the full target size (t) for a MERGE that updates, and reports it in jobs.get statistics", async () => {
    await stage([100, 1900, 5000, 5001, 5002, 5003, 5004, 5005, 5006, 5007]); // keys span the whole range: no pruning
    const [job] = await fx.bq.createQueryJob({ query: UPSERT });
    await job.getQueryResults();
    const [metadata] = await job.getMetadata();
    expect(metadata.statistics.query).toMatchObject({
      statementType: "MERGE",
      totalBytesProcessed: String(TARGET + STAGING + TARGET),
      totalBytesBilled: String(20 * MB),
      numDmlAffectedRows: "10",
      dmlStats: { insertedRowCount: "8", updatedRowCount: "2", deletedRowCount: "0" },
    });
    const summary = fx.emulator.jobs().find((j) => j.id === job.id);
    expect(summary?.tableReads).toContainEqual({ table: "c.target", bytes: TARGET, scannedFraction: 1 });
  });

  it("prunes clustered blocks when the staging keys cover a small share of the clustering key range", async () => {
    await stage([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]); // all inside block 1 of 10
    await fx.bq.query(UPSERT);
    const job = lastJob(UPSERT);
    expect(job.tableReads).toContainEqual({ table: "c.target", bytes: TARGET / 10, scannedFraction: 0.1 });
    // only the read side is pruned; t (the target's size) is billed in full
    expect(job.totalBytesProcessed).toBe(TARGET / 10 + STAGING + TARGET);
  });

  it("counts only referenced columns for SELECT, nothing for COUNT(*) and DDL, and 10 MB minimum billing", async () => {
    await fx.bq.query("SELECT id FROM c.target WHERE n < 0");
    expect(lastJob("SELECT id FROM c.target")).toMatchObject({ totalBytesProcessed: 2000 * 7 + 2000 * 8, totalBytesBilled: 10 * MB });
    await fx.bq.query("SELECT COUNT(*) AS k FROM c.target");
    expect(lastJob("SELECT COUNT(*)")).toMatchObject({ totalBytesProcessed: 0, totalBytesBilled: 10 * MB });
    await fx.bq.query("TRUNCATE TABLE c.target");
    expect(lastJob("TRUNCATE")).toMatchObject({ totalBytesProcessed: 0, totalBytesBilled: 0 });
  });
});
