import { describe, expect, it } from "vitest";
import { parseMultipart } from "../../src/bigquery/http/multipart.js";
import { parseJsonKeepingBigInts } from "../../src/bigquery/load/big-int-json.js";
import { normalizeRow } from "../../src/bigquery/load/normalize-row.js";
import { parseNdjson } from "../../src/bigquery/load/parse-ndjson.js";
import { formatMicros, parseTimestampMicros } from "../../src/bigquery/load/timestamp.js";
import { normalizeFields } from "../../src/bigquery/schema/field-schema.js";
import { tokenize } from "../../src/bigquery/sql/tokenize.js";

describe("tokenize", () => {
  it("decodes GoogleSQL string forms and keeps backticked paths whole", () => {
    const tokens = tokenize("SELECT 'a\\'b', \"c\\x41\", r'\\d', b'\\x00', `p-1.ds.t`, @p, ? -- x\n# y\n/* z */");
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ["ident", "SELECT"], ["string", "a'b"], ["op", ","], ["string", "cA"], ["op", ","], ["string", "\\d"], ["op", ","],
      ["bytes", "\u0000"], ["op", ","], ["qident", "p-1.ds.t"], ["op", ","], ["param", "p"], ["op", ","], ["param", ""],
    ]);
  });

  it("keeps nested type brackets as separate tokens", () => {
    expect(tokenize("ARRAY<STRUCT<a INT64>>").map((t) => t.text)).toEqual(["ARRAY", "<", "STRUCT", "<", "a", "INT64", ">", ">"]);
  });

  it("reports unclosed literals with their position", () => {
    expect(() => tokenize("SELECT 'abc")).toThrow(/unclosed string literal/);
  });
});

describe("timestamps", () => {
  it.each([
    ["2024-05-01T10:20:30.1234567Z", "2024-05-01T10:20:30.123456Z"],
    ["2024-05-01 10:20:30.123456 UTC", "2024-05-01T10:20:30.123456Z"],
    ["2024-05-01 10:20:30+02:00", "2024-05-01T08:20:30.000000Z"],
    ["2024/05/01 10:20", "2024-05-01T10:20:00.000000Z"],
    ["2024-05-01", "2024-05-01T00:00:00.000000Z"],
    ["1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"],
  ])("%s → %s", (input, expected) => {
    const micros = parseTimestampMicros(input);
    expect(micros).toBeDefined();
    expect(formatMicros(micros as bigint)).toBe(expected);
  });

  it.each(["yesterday", "2024-02-30", "2024-05-01T25:00:00Z", "2024-05-01 10:00 Europe/Paris"])("rejects %s", (input) => {
    expect(parseTimestampMicros(input)).toBeUndefined();
  });
});

describe("multipart/related", () => {
  it("splits the job JSON from the media bytes as the Node client sends them", () => {
    const body = Buffer.from(
      '--B\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--B\r\nContent-Type: application/octet-stream\r\n\r\n{"id":"1"}\n{"id":"2"}\n\r\n--B--',
    );
    const parts = parseMultipart(body, "multipart/related; boundary=B");
    expect(parts).toHaveLength(2);
    expect(parts[0]?.headers["content-type"]).toBe("application/json");
    expect(parts[0]?.body.toString()).toBe('{"a":1}');
    expect(parts[1]?.body.toString()).toBe('{"id":"1"}\n{"id":"2"}\n');
  });
});

describe("NDJSON rows", () => {
  const fields = normalizeFields([
    { name: "id", type: "STRING", mode: "REQUIRED" },
    { name: "tags", type: "STRING", mode: "REPEATED" },
    { name: "addr", type: "RECORD", fields: [{ name: "zip", type: "INTEGER" }] },
    { name: "raw", type: "JSON" },
    { name: "ts", type: "TIMESTAMP" },
    { name: "ok", type: "BOOL" },
  ]);

  it("keeps integers beyond 2^53 exact", () => {
    expect(parseJsonKeepingBigInts('{"n": 9007199254740993, "s": "12345678901234567", "f": 1.5}')).toEqual({ n: "9007199254740993", s: "12345678901234567", f: 1.5 });
  });

  it("normalises a row for DuckDB's read_json", () => {
    expect(normalizeRow({ id: "a", tags: null, addr: { zip: "75001" }, raw: { k: [1] }, ts: "2024-01-01T00:00:00.1234567Z", ok: "TRUE" }, fields, { ignoreUnknownValues: false })).toEqual({
      id: "a", tags: [], addr: { zip: "75001" }, raw: { k: [1] }, ts: "2024-01-01T00:00:00.123456Z", ok: true,
    });
  });

  it.each([
    [{ tags: [] }, /Missing required field: id/],
    [{ id: "a", bogus: 1 }, /No such field: bogus/],
    [{ id: "a", tags: ["x", null] }, /Only optional fields can be set to NULL/],
    [{ id: "a", addr: { zip: "x" } }, /Cannot convert value to integer: addr.zip/],
    [{ id: "a", ts: "not a time" }, /Could not parse 'not a time' as a timestamp/],
    [{ id: ["a"] }, /Array specified for non-repeated field: id/],
  ])("rejects %j", (row, message) => {
    expect(() => normalizeRow(row, fields, { ignoreUnknownValues: false })).toThrow(message);
  });

  it("reports bad rows with their byte position, and skips them within maxBadRecords", () => {
    const parsed = parseNdjson('{"id":"a"}\n{"id":"b","bogus":1}\n{"id":"c"}\n', fields, { ignoreUnknownValues: false, maxBadRecords: 1 });
    expect(parsed.rows.map((r) => r["id"])).toEqual(["a", "c"]);
    expect(parsed.errors).toEqual([
      { reason: "invalid", location: "file-00000000", message: "Error while reading data, error message: JSON parsing error in row starting at position 11: No such field: bogus." },
    ]);
  });
});
