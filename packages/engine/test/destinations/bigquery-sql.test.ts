import { loadDeclarations } from "@kaivo/codegen";
import { fileURLToPath } from "node:url";
import { parse } from "sql-parser-cst";
import { describe, expect, test } from "vitest";
import { bigQueryDialect } from "../../src/destinations/bigquery/bigquery-dialect.js";
import * as sql from "../../src/destinations/sql/sync-sql.js";
import { planTable } from "../../src/plan/table-plan.js";

const declarations = loadDeclarations(fileURLToPath(new URL("../../../../tables", import.meta.url)));
const targets = declarations.filter((d) => d.source).flatMap((d) => {
  const plan = planTable(d, declarations);
  return [plan.target, ...plan.relations.map((r) => r.target)];
});
const d = bigQueryDialect("my-project", "entraid");
const parsesAsGoogleSql = (text: string) => parse(text, { dialect: "bigquery" });

/** Every statement the BigQuery destination sends for one table, as one transaction script plus the count queries. */
function statementsFor(target: (typeof targets)[number]): string[] {
  const staging = d.table(`_kaivo_stg_${target.name}_abcd_1`);
  const rows = sql.stagedRows(d, target, staging, false);
  const now = "2025-03-01T10:00:00.123456Z";
  const apply = target.incremental
    ? [
        sql.endEdgesStatement(d, target, target.keyColumns[0]!, ["a", "it's"], "changed", now),
        sql.mergeStatement(d, target, rows),
        sql.mergeStatement(d, target, rows, { completeUpserts: true }),
        sql.sweepStatement(d, target, "2025-03-01T09:00:00Z", now),
      ]
    : d.replaceTable(target, sql.replaceSelect(d, target, rows));
  const rejects = [
    { table: target.name, recordId: "x", reason: "/accountEnabled must be boolean", rawJson: `{"a":"it's \\\\ back"}` },
    { table: target.name, recordId: "it's", reason: "/accountEnabled must be boolean", rawJson: "{}" },
  ];
  const script = [
    d.beginTransaction,
    ...apply,
    sql.rejectsMergeStatement(d, { records: rejects }, "run-1", now)!,
    sql.rejectsMergeStatement(d, { records: rejects, staged: staging }, "run-1", now)!,
    ...sql.stateUpsertStatements(d, target.name, { deltaLink: "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=a'b" }, "run-1", now),
    d.commitTransaction,
  ];
  return [
    script.map((s) => `${s};`).join("\n"),
    target.incremental ? sql.mergeCountsQuery(d, target, rows) : sql.replaceCountsQuery(d, target, rows),
    sql.sweepCountQuery(d, target, staging, "2025-03-01T09:00:00Z", { records: rejects }),
    sql.sweepCountQuery(d, target, staging, "2025-03-01T09:00:00Z", { records: rejects, staged: staging }),
    sql.endEdgesCountQuery(d, target, target.keyColumns[0]!, ["a", "it's"]),
  ];
}

describe("the SQL the BigQuery destination generates parses as GoogleSQL", () => {
  test("the parser is strict: it rejects DuckDB-only and broken SQL", () => {
    expect(() => parsesAsGoogleSql("INSERT OR REPLACE INTO t VALUES (1)")).toThrow();
    expect(() => parsesAsGoogleSql("MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE SET a")).toThrow();
  });

  test.each(targets.map((t) => [t.name, t] as const))("%s", (_name, target) => {
    for (const text of statementsFor(target)) expect(() => parsesAsGoogleSql(text), text).not.toThrow();
  });

  test("string literals escape quotes and backslashes the GoogleSQL way", () => {
    expect(d.string(`it's a \\ path\n`)).toBe(`'it\\'s a \\\\ path\\n'`);
  });

  test("the users merge matches its golden file", async () => {
    const users = targets.find((t) => t.name === "users")!;
    await expect(`${sql.mergeStatement(d, users, sql.stagedRows(d, users, d.table("_kaivo_stg_users_abcd_1"), false))}\n`).toMatchFileSnapshot("golden/users.merge.bigquery.sql");
  });

  test("the audit log's append reads no stored column but the key, and never updates a stored event", () => {
    const audits = targets.find((t) => t.name === "directoryaudits")!;
    const append = sql.mergeStatement(d, audits, sql.stagedRows(d, audits, d.table("_kaivo_stg_directoryaudits_abcd_1"), true), { completeUpserts: true, appendOnly: true });
    expect(append.match(/\bt\.`\w+`/g)).toStrictEqual(["t.`id`"]);
    expect(append).not.toMatch(/WHEN MATCHED/);
    expect(() => parsesAsGoogleSql(append)).not.toThrow();
  });

  test("the users merge of complete upserts matches its golden file: it reads no stored column but the key", async () => {
    const users = targets.find((t) => t.name === "users")!;
    const merge = sql.mergeStatement(d, users, sql.stagedRows(d, users, d.table("_kaivo_stg_users_abcd_1"), true), { completeUpserts: true });
    expect(merge.match(/\bt\.`\w+`/g)).toStrictEqual(["t.`id`"]);
    await expect(`${merge}\n`).toMatchFileSnapshot("golden/users.complete-merge.bigquery.sql");
  });
});
