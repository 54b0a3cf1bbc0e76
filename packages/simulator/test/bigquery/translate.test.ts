import { describe, expect, it } from "vitest";
import { parameterResolver } from "../../src/bigquery/sql/params.js";
import { translateScript } from "../../src/bigquery/sql/translate-statement.js";
import { SqlTranslationError } from "../../src/bigquery/sql/translation-error.js";

const PROJECT = "kaivo-emulator";

function duck(sql: string): string[] {
  return translateScript(sql, { projectId: PROJECT, parameter: (name) => `<${name}>` }).flatMap((s) => s.sql);
}

function one(sql: string): string {
  const out = duck(sql);
  expect(out).toHaveLength(1);
  return out[0] as string;
}

function rejection(sql: string): SqlTranslationError {
  try {
    translateScript(sql, { projectId: PROJECT });
  } catch (error) {
    if (error instanceof SqlTranslationError) return error;
    throw error;
  }
  throw new Error(`expected ${sql} to be rejected`);
}

describe("identifiers and literals", () => {
  it.each([
    ["SELECT * FROM `kaivo-emulator.ds.users`", 'SELECT * FROM "ds"."users"'],
    ["SELECT * FROM `ds.users`", 'SELECT * FROM "ds"."users"'],
    ["SELECT * FROM `kaivo-emulator`.ds.users", "SELECT * FROM ds.users"],
    ["SELECT * FROM ds.users AS u", "SELECT * FROM ds.users AS u"],
    ["SELECT `order`, user FROM ds.t", 'SELECT "order", "user" FROM ds.t'],
    ["SELECT \"it's\", 'a\\nb', r'\\d+'", "SELECT 'it''s', 'a\nb', '\\d+'"],
    ["SELECT '''multi\nline'''", "SELECT 'multi\nline'"],
    ["SELECT 0x1F", "SELECT 31"],
    ["SELECT 1 -- comment\n# another\n/* block */ + 2", "SELECT 1 + 2"],
    ["SELECT TIMESTAMP '2024-01-01 10:00:00.1234567 UTC', DATE '2024-01-02', DATETIME '2024-01-01 10:00:00'",
      "SELECT CAST('2024-01-01T10:00:00.123456Z' AS TIMESTAMPTZ), CAST('2024-01-02' AS DATE), CAST('2024-01-01 10:00:00' AS TIMESTAMP)"],
  ])("%s", (input, expected) => {
    expect(one(input)).toBe(expected);
  });
});

describe("functions", () => {
  it.each([
    ["SELECT CURRENT_TIMESTAMP()", "SELECT now()"],
    ["SELECT CURRENT_TIMESTAMP", "SELECT now()"],
    ["SELECT TIMESTAMP_SUB(ts, INTERVAL 3 DAY)", "SELECT (ts - INTERVAL 3 DAY)"],
    ["SELECT TIMESTAMP_ADD(ts, INTERVAL n HOUR)", "SELECT (ts + INTERVAL (n) HOUR)"],
    ["SELECT IFNULL(a, 'x'), COALESCE(a, b, 'c')", "SELECT ifnull(a, 'x'), coalesce(a, b, 'c')"],
    ["SELECT SAFE_CAST(x AS INT64), CAST(y AS STRING)", "SELECT TRY_CAST(x AS BIGINT), CAST(y AS VARCHAR)"],
    ["SELECT CAST(x AS ARRAY<STRUCT<a INT64, b ARRAY<STRING>>>)", 'SELECT CAST(x AS STRUCT("a" BIGINT, "b" VARCHAR[])[])'],
    ["SELECT JSON_VALUE(raw, '$.a')",
      "SELECT CASE WHEN json_type(CAST(raw AS JSON), '$.a') IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(CAST(raw AS JSON), '$.a') END"],
    ["SELECT TO_JSON_STRING(addr)", "SELECT CAST(to_json(addr) AS VARCHAR)"],
    ["SELECT ARRAY_LENGTH(tags)", "SELECT len(tags)"],
    ["SELECT STRING_AGG(id, ',' ORDER BY id)", "SELECT string_agg(id, ',' ORDER BY id)"],
    ["SELECT ARRAY_AGG(x IGNORE NULLS ORDER BY y)", "SELECT array_agg(x ORDER BY y) FILTER (WHERE (x) IS NOT NULL)"],
    ["SELECT CONCAT(a, '-', b)", "SELECT ((a) || ('-') || (b))"],
    ["SELECT IF(a > 1, 'x', 'y')", "SELECT CASE WHEN a > 1 THEN 'x' ELSE 'y' END"],
    ["SELECT GREATEST(a, b)", "SELECT CASE WHEN (a) IS NULL OR (b) IS NULL THEN NULL ELSE greatest(a, b) END"],
    ["SELECT COUNTIF(ok), LOGICAL_OR(ok)", "SELECT count_if(ok), bool_or(ok)"],
    ["SELECT TIMESTAMP_DIFF(a, b, HOUR), DATE_DIFF(d1, d2, DAY)", "SELECT date_sub('hour', b, a), date_diff('day', d2, d1)"],
    ["SELECT TIMESTAMP_TRUNC(ts, DAY)", "SELECT date_trunc('day', ts)"],
    ["SELECT EXTRACT(DATE FROM ts), EXTRACT(DAYOFWEEK FROM ts)", "SELECT CAST(ts AS DATE), (dayofweek(ts) + 1)"],
    ["SELECT STRUCT(1 AS a, name)", 'SELECT struct_pack("a" := 1, "name" := name)'],
    ["SELECT ARRAY<STRING>[]", "SELECT CAST([] AS VARCHAR[])"],
    ["SELECT GENERATE_UUID()", "SELECT CAST(uuid() AS VARCHAR)"],
    ["SELECT SAFE.PARSE_JSON(s), SAFE.TIMESTAMP(t)", "SELECT TRY_CAST(s AS JSON), TRY_CAST(t AS TIMESTAMPTZ)"],
  ])("%s", (input, expected) => {
    expect(one(input)).toBe(expected);
  });
});

describe("query clauses", () => {
  it.each([
    ["SELECT * EXCEPT (raw) FROM t", "SELECT * EXCLUDE (raw) FROM t"],
    ["SELECT * REPLACE (UPPER(a) AS a) FROM t", "SELECT * REPLACE (upper(a) AS a) FROM t"],
    ["SELECT tag FROM t, UNNEST(t.tags) AS tag", 'SELECT tag FROM t, unnest(t.tags) AS "_unnest_tag"("tag")'],
    ["SELECT x FROM UNNEST([1, 2]) x", 'SELECT x FROM unnest([1, 2]) AS "_unnest_x"("x")'],
    ["SELECT * FROM t WHERE 'a' IN UNNEST(tags)", "SELECT * FROM t WHERE 'a' IN (SELECT unnest(tags))"],
    ["SELECT i, item FROM t LEFT JOIN UNNEST(t.items) AS item WITH OFFSET AS i ON TRUE",
      'SELECT i, item FROM t LEFT JOIN (SELECT unnest(t.items) AS "item", generate_subscripts(t.items, 1) - 1 AS "i") AS "_unnest_item" ON TRUE'],
    ["SELECT * FROM t QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) = 1",
      "SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY id ORDER BY ts DESC) = 1"],
    ["SELECT a FROM t WHERE id = @id AND n > @n", "SELECT a FROM t WHERE id = (<id>) AND n > (<n>)"],
  ])("%s", (input, expected) => {
    expect(one(input)).toBe(expected);
  });
});

describe("statements", () => {
  it("CREATE TABLE with BigQuery types, options, partitioning and clustering", () => {
    const [statement] = translateScript(
      "CREATE TABLE IF NOT EXISTS `kaivo-emulator.ds.users` (id STRING NOT NULL OPTIONS(description = 'key'), tags ARRAY<STRING>, " +
        "addr STRUCT<city STRING, geo STRUCT<lat FLOAT64>>, raw JSON, n INT64, ok BOOL, amount NUMERIC, ts TIMESTAMP, dt DATETIME) " +
        "PARTITION BY DATE(ts) CLUSTER BY id, n OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR))",
      { projectId: PROJECT },
    );
    expect(statement?.sql).toEqual([
      'CREATE TABLE IF NOT EXISTS "ds"."users" ("id" VARCHAR NOT NULL, "tags" VARCHAR[], "addr" STRUCT("city" VARCHAR, "geo" STRUCT("lat" DOUBLE)), ' +
        '"raw" JSON, "n" BIGINT, "ok" BOOLEAN, "amount" DECIMAL(38, 9), "ts" TIMESTAMPTZ, "dt" TIMESTAMP)',
    ]);
    expect(statement?.tableOptions).toEqual({
      clustering: ["id", "n"],
      partitionField: "ts",
      partitionType: "DAY",
      options: { expiration_timestamp: "(now() + INTERVAL 1 HOUR)" },
      columnDescriptions: { id: "'key'" },
    });
  });

  it.each([
    ["CREATE OR REPLACE TABLE ds.t AS SELECT 1 AS a", 'CREATE OR REPLACE TABLE "ds"."t" AS SELECT 1 AS a'],
    ["CREATE TEMP TABLE tmp AS SELECT 1 AS a", 'CREATE TEMP TABLE "tmp" AS SELECT 1 AS a'],
    ["CREATE OR REPLACE VIEW ds.v AS SELECT * FROM ds.t", 'CREATE OR REPLACE VIEW "ds"."v" AS SELECT * FROM ds.t'],
    ["DROP TABLE IF EXISTS `ds._stg_users_r42`", 'DROP TABLE IF EXISTS "ds"."_stg_users_r42"'],
    ["TRUNCATE TABLE ds.t", 'TRUNCATE "ds"."t"'],
    ["INSERT ds.t (a, b) SELECT a, b FROM ds.s", 'INSERT INTO "ds"."t" (a, b) SELECT a, b FROM ds.s'],
    ["UPDATE ds.t T SET T.a = 1, b = T.b + 1 WHERE T.id = 'x'", 'UPDATE "ds"."t" AS "T" SET "a" = 1, "b" = T.b + 1 WHERE T.id = \'x\''],
    ["DELETE ds.t WHERE id IN (SELECT id FROM ds.gone)", 'DELETE FROM "ds"."t" WHERE id IN (SELECT id FROM ds.gone)'],
  ])("%s", (input, expected) => {
    expect(one(input)).toBe(expected);
  });

  it("ALTER TABLE with several ADD COLUMN actions becomes one DuckDB statement per action", () => {
    expect(duck("ALTER TABLE ds.t ADD COLUMN IF NOT EXISTS a STRING, ADD COLUMN IF NOT EXISTS s STRUCT<x INT64, y STRING>")).toEqual([
      'ALTER TABLE "ds"."t" ADD COLUMN IF NOT EXISTS "a" VARCHAR',
      'ALTER TABLE "ds"."t" ADD COLUMN IF NOT EXISTS "s" STRUCT("x" BIGINT, "y" VARCHAR)',
    ]);
  });

  it("MERGE: INSERT ROW → INSERT *, qualified SET targets unqualified, RETURNING merge_action, duplicate-check shape", () => {
    const [statement] = translateScript(
      "MERGE `kaivo-emulator.ds.users` T USING (SELECT * FROM ds._stg) S ON T.id = S.id " +
        "WHEN MATCHED AND S._deleted THEN DELETE WHEN MATCHED THEN UPDATE SET T.name = S.name " +
        "WHEN NOT MATCHED BY TARGET THEN INSERT ROW WHEN NOT MATCHED BY SOURCE AND T.active THEN UPDATE SET active = FALSE",
      { projectId: PROJECT },
    );
    expect(statement?.sql).toEqual([
      'MERGE INTO "ds"."users" AS "T" USING (SELECT * FROM ds._stg) AS "S" ON T.id = S.id ' +
        'WHEN MATCHED AND S._deleted THEN DELETE WHEN MATCHED THEN UPDATE SET "name" = S.name ' +
        'WHEN NOT MATCHED BY TARGET THEN INSERT * WHEN NOT MATCHED BY SOURCE AND T.active THEN UPDATE SET "active" = FALSE RETURNING merge_action',
    ]);
    expect(statement?.merge).toMatchObject({
      targetAlias: "T",
      sourceAlias: "S",
      on: "T.id = S.id",
      matchedCondition: "(S._deleted) OR (TRUE)",
      updatesOrDeletes: true,
      keyEqualities: [{ targetColumn: "id", sourceColumn: "id" }],
    });
  });

  it("MERGE with an explicit INSERT column list and ON FALSE", () => {
    expect(one("MERGE ds.s T USING (SELECT 'u' AS k) S ON FALSE WHEN NOT MATCHED THEN INSERT (k) VALUES (S.k) WHEN NOT MATCHED BY SOURCE THEN DELETE")).toBe(
      'MERGE INTO "ds"."s" AS "T" USING (SELECT \'u\' AS k) AS "S" ON FALSE WHEN NOT MATCHED BY TARGET THEN INSERT ("k") VALUES (S.k) WHEN NOT MATCHED BY SOURCE THEN DELETE RETURNING merge_action',
    );
  });

  it("MERGE with CASE … WHEN … THEN inside a clause condition and a SET value", () => {
    expect(
      one("MERGE ds.t T USING ds.s S ON T.id = S.id WHEN MATCHED AND CASE WHEN S.x THEN TRUE ELSE FALSE END THEN UPDATE SET v = CASE WHEN S.v > 0 THEN S.v ELSE NULL END WHEN NOT MATCHED THEN INSERT ROW"),
    ).toBe(
      'MERGE INTO "ds"."t" AS "T" USING "ds"."s" AS "S" ON T.id = S.id WHEN MATCHED AND CASE WHEN S.x THEN TRUE ELSE FALSE END THEN UPDATE SET "v" = CASE WHEN S.v > 0 THEN S.v ELSE NULL END WHEN NOT MATCHED BY TARGET THEN INSERT * RETURNING merge_action',
    );
  });

  it("splits scripts at top-level semicolons only and classifies transaction control", () => {
    const statements = translateScript("BEGIN TRANSACTION; SELECT ';' AS s; COMMIT TRANSACTION;", { projectId: PROJECT });
    expect(statements.map((s) => s.kind)).toEqual(["BEGIN_TRANSACTION", "SELECT", "COMMIT_TRANSACTION"]);
    expect(statements[1]?.sql).toEqual(["SELECT ';' AS s"]);
  });
});

describe("constructs that fail loudly", () => {
  it.each([
    ["SELECT FORMAT('%d', 1)", "function FORMAT", "[1:8]"],
    ["SELECT SAFE.SUBSTR(x, 1) FROM t", "SAFE. function prefix", "[1:8]"],
    ["DECLARE x INT64", "DECLARE statement", "[1:1]"],
    ["SET x = 1", "SET statement", "[1:1]"],
    ["BEGIN SELECT 1; END", "BEGIN ... END block", "[1:1]"],
    ["SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01'", "FOR SYSTEM_TIME AS OF", "[1:17]"],
    ["SELECT * FROM `ds.events_*`", "wildcard table", ""],
    ["SELECT x FROM UNNEST([1]) WITH OFFSET", "UNNEST ... WITH OFFSET", ""],
    ["SELECT AS STRUCT 1 AS a", "SELECT AS STRUCT", ""],
    ["SELECT _PARTITIONTIME FROM t", "_PARTITIONTIME", ""],
    ["CREATE TABLE ds.t (a BIGNUMERIC)", "type BIGNUMERIC", ""],
    ["CREATE TEMP FUNCTION f() AS (1)", "CREATE FUNCTION", ""],
    ["SELECT STRUCT<a INT64>(1)", "typed STRUCT<...>(...) constructor", ""],
    ["SELECT CAST(ts AS STRING FORMAT 'YYYY')", "CAST ... FORMAT", ""],
    ["SELECT TIMESTAMP_TRUNC(ts, WEEK)", "date part WEEK", ""],
    ["UPDATE ds.t SET a = 1", "UPDATE without WHERE", ""],
    ["DELETE FROM ds.t", "DELETE without WHERE", ""],
    ["ALTER TABLE ds.t ADD COLUMN a STRING NOT NULL", "ADD COLUMN ... NOT NULL", ""],
    ["SELECT * FROM ds.t PIVOT (SUM(a) FOR b IN ('x'))", "PIVOT", "[1:20]"],
  ])("%s → %s", (sql, construct, position) => {
    const error = rejection(sql);
    if (construct !== "") expect(error.construct).toContain(construct);
    if (position !== "") expect(error.message).toContain(position);
  });

  it("rejects a cross-project table path in DML", () => {
    expect(rejection("DELETE FROM `other-project.ds.t` WHERE TRUE").construct).toBe("cross-project reference to project other-project");
  });
});

describe("query parameters", () => {
  it("inlines typed literals for named parameters", () => {
    const parameter = parameterResolver("NAMED", [
      { name: "s", parameterType: { type: "STRING" }, parameterValue: { value: "it's" } },
      { name: "n", parameterType: { type: "INT64" }, parameterValue: { value: "42" } },
      { name: "ts", parameterType: { type: "TIMESTAMP" }, parameterValue: { value: "2024-01-01 00:00:00.1234567+00:00" } },
      { name: "tags", parameterType: { type: "ARRAY", arrayType: { type: "STRING" } }, parameterValue: { arrayValues: [{ value: "a" }] } },
      { name: "nothing", parameterType: { type: "BOOL" }, parameterValue: {} },
    ]);
    const [statement] = translateScript("SELECT @s, @n, @ts, @tags, @nothing", { projectId: PROJECT, parameter });
    expect(statement?.sql).toEqual([
      "SELECT ('it''s'), (CAST('42' AS BIGINT)), (CAST('2024-01-01T00:00:00.123456Z' AS TIMESTAMPTZ)), (CAST(['a'] AS VARCHAR[])), (CAST(NULL AS BOOLEAN))",
    ]);
  });

  it("numbers positional parameters across the script and reports a missing one", () => {
    const parameter = parameterResolver("POSITIONAL", [
      { parameterType: { type: "INT64" }, parameterValue: { value: "1" } },
      { parameterType: { type: "INT64" }, parameterValue: { value: "2" } },
    ]);
    expect(translateScript("SELECT ?; SELECT ?", { projectId: PROJECT, parameter }).map((s) => s.sql[0])).toEqual([
      "SELECT (CAST('1' AS BIGINT))",
      "SELECT (CAST('2' AS BIGINT))",
    ]);
    expect(() => translateScript("SELECT @missing", { projectId: PROJECT, parameter: parameterResolver("NAMED", []) })).toThrow(/Query parameter 'missing' not found/);
  });
});
