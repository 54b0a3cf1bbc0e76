import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFixture, type EmulatorFixture } from "./client.js";
import { ndjsonFile } from "./ndjson-file.js";

let fx: EmulatorFixture;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  fx = await startFixture();
  await fx.bq.createDataset("ld");
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
afterAll(async () => {
  await fx?.emulator.close();
});

const SCHEMA = {
  fields: [
    { name: "id", type: "STRING", mode: "REQUIRED" },
    { name: "tags", type: "STRING", mode: "REPEATED" },
    { name: "addr", type: "RECORD", fields: [{ name: "city", type: "STRING" }, { name: "zip", type: "INTEGER" }] },
    { name: "phones", type: "RECORD", mode: "REPEATED", fields: [{ name: "kind", type: "STRING" }, { name: "num", type: "STRING" }] },
    { name: "raw", type: "JSON" },
    { name: "n", type: "INTEGER" },
    { name: "score", type: "FLOAT" },
    { name: "ok", type: "BOOLEAN" },
    { name: "_synced_at", type: "TIMESTAMP" },
  ],
};

function file(rows: readonly (object | string)[]): string {
  const f = ndjsonFile(rows);
  cleanups.push(f.cleanup);
  return f.path;
}

const ROWS = [
  {
    id: "u1", tags: ["a", "b"], addr: { city: "Paris", zip: 75001 }, phones: [{ kind: "mobile", num: "+33" }],
    raw: { k: 1, arr: [1, 2], nested: { x: "y" } }, n: "9007199254740993", score: 1.5, ok: true,
    _synced_at: "2024-05-01T10:20:30.1234567Z", // 7 fractional digits, as Graph sends them
  },
  { id: "u2", tags: [], addr: null, phones: [], raw: null, n: null, score: null, ok: null, _synced_at: "2024-05-01 10:20:30.5+02:00" },
  { id: "u3", tags: null, _synced_at: null },
];

describe("load jobs (multipart upload)", () => {
  it("loads nested, repeated, JSON and 7-digit TIMESTAMP values and queries them back typed", async () => {
    const table = fx.bq.dataset("ld").table("users");
    const [job] = await table.load(file(ROWS), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema: SCHEMA, writeDisposition: "WRITE_TRUNCATE", jobId: "load_users_1" });
    expect(job.status).toMatchObject({ state: "DONE" });
    expect(job.statistics?.load).toMatchObject({ outputRows: "3", inputFiles: "1" });

    const [rows] = await fx.bq.query({ query: "SELECT * FROM ld.users ORDER BY id", wrapIntegers: true });
    const [u1, u2, u3] = rows;
    expect(u1.id).toBe("u1");
    expect(u1.tags).toEqual(["a", "b"]);
    expect(u1.addr.city).toBe("Paris");
    expect(u1.addr.zip.value).toBe("75001");
    expect(u1.phones).toEqual([{ kind: "mobile", num: "+33" }]);
    expect(JSON.parse(u1.raw)).toEqual({ k: 1, arr: [1, 2], nested: { x: "y" } });
    expect(u1.n.value).toBe("9007199254740993"); // int64 beyond 2^53 survives the load
    expect(u1.score).toBe(1.5);
    expect(u1.ok).toBe(true);
    // BigQuery keeps microseconds: the 7th digit is truncated
    expect(u1._synced_at.value).toBe("2024-05-01T10:20:30.123456000Z");
    expect(u2.tags).toEqual([]); // REPEATED is [] never null
    expect(u2.addr).toBeNull();
    expect(u2.phones).toEqual([]);
    expect(u2._synced_at.value).toBe("2024-05-01T08:20:30.500Z"); // offset applied (the client prints millis when there are no micros)
    expect(u3.tags).toEqual([]); // null REPEATED loads as []

    const summary = fx.emulator.jobs().find((j) => j.id === "load_users_1");
    expect(summary).toMatchObject({ type: "load", rowsLoaded: 3, destinationTable: "ld.users", bytesLoaded: expect.any(Number) });
  });

  it("appends with WRITE_APPEND, replaces with WRITE_TRUNCATE, and refuses WRITE_EMPTY on a non-empty table", async () => {
    const table = fx.bq.dataset("ld").table("disp");
    const schema = { fields: [{ name: "id", type: "STRING" }] };
    await table.load(file([{ id: "a" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema });
    await table.load(file([{ id: "b" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema, writeDisposition: "WRITE_APPEND" });
    expect((await fx.emulator.query("SELECT count(*) AS n FROM ld.disp"))[0]).toEqual({ n: 2 });
    await table.load(file([{ id: "c" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema, writeDisposition: "WRITE_TRUNCATE" });
    expect(await fx.emulator.query("SELECT id FROM ld.disp")).toEqual([{ id: "c" }]);
    await expect(table.load(file([{ id: "d" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema, writeDisposition: "WRITE_EMPTY" })).rejects.toMatchObject({
      errors: [{ reason: "duplicate" }],
    });
    expect(await fx.emulator.query("SELECT id FROM ld.disp")).toEqual([{ id: "c" }]);
  });

  it("adds columns only with ALLOW_FIELD_ADDITION", async () => {
    const table = fx.bq.dataset("ld").table("evolve");
    await table.load(file([{ id: "a" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema: { fields: [{ name: "id", type: "STRING" }] } });
    const wider = { fields: [{ name: "id", type: "STRING" }, { name: "mail", type: "STRING" }] };
    await expect(table.load(file([{ id: "b", mail: "x" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema: wider, writeDisposition: "WRITE_APPEND" })).rejects.toMatchObject({
      errors: [{ reason: "invalid", message: expect.stringContaining("Cannot add fields (field: mail)") }],
    });
    await table.load(file([{ id: "b", mail: "x" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema: wider, writeDisposition: "WRITE_APPEND", schemaUpdateOptions: ["ALLOW_FIELD_ADDITION"] });
    expect(await fx.emulator.query("SELECT id, mail FROM ld.evolve ORDER BY id")).toEqual([{ id: "a", mail: null }, { id: "b", mail: "x" }]);
  });

  it("fails on a bad row with BigQuery's error list and writes nothing", async () => {
    const table = fx.bq.dataset("ld").table("bad");
    const error = await table
      .load(file([{ id: "ok", n: 1 }, { id: "x", bogus: true }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema: { fields: [{ name: "id", type: "STRING" }, { name: "n", type: "INTEGER" }] } })
      .then(() => undefined, (e: { errors?: { reason: string; message: string }[] }) => e);
    expect(error?.errors?.[0]?.message).toMatch(/JSON table encountered too many errors, giving up. Rows: 2; errors: 1/);
    expect(error?.errors?.[1]?.message).toMatch(/No such field: bogus/);
    expect((await table.exists())[0]).toBe(false);
  });

  it("a jobFailure fault makes load() reject and leaves the table untouched", async () => {
    const table = fx.bq.dataset("ld").table("guarded");
    const schema = { fields: [{ name: "id", type: "STRING" }] };
    await table.load(file([{ id: "keep" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema });
    const fault = fx.emulator.faults.inject({ kind: "jobFailure", match: /ld\.guarded/ });
    await expect(table.load(file([{ id: "new" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema, writeDisposition: "WRITE_TRUNCATE" })).rejects.toMatchObject({
      errors: [{ reason: "jobBackendError" }],
    });
    expect(fault.fired).toBe(1);
    expect(await fx.emulator.query("SELECT id FROM ld.guarded")).toEqual([{ id: "keep" }]);
    const failed = fx.emulator.jobs().filter((j) => j.destinationTable === "ld.guarded" && j.error !== undefined);
    expect(failed).toHaveLength(1);
  });

  it("rejects a reused jobId with 409 duplicate", async () => {
    const table = fx.bq.dataset("ld").table("ids");
    const schema = { fields: [{ name: "id", type: "STRING" }] };
    await table.load(file([{ id: "a" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema, jobId: "fixed_load_id" });
    await expect(table.load(file([{ id: "a" }]), { sourceFormat: "NEWLINE_DELIMITED_JSON", schema, jobId: "fixed_load_id" })).rejects.toMatchObject({ code: 409 });
  });
});
