import { duckDbType, emitDuckDbDdl, quoteDuckDbIdentifier, quoteDuckDbString } from "@kaivo/codegen";
import type { SqlDialect } from "../sql/dialect.js";

export function duckDbDialect(schema: string): SqlDialect {
  const quote = quoteDuckDbIdentifier;
  return {
    name: "duckdb",
    quote,
    table: (name) => `${quote(schema)}.${quote(name)}`,
    string: quoteDuckDbString,
    timestamp: (iso) => `TIMESTAMPTZ '${iso}'`,
    type: duckDbType,
    isPresent: (alias, column) => `(${alias}."_kaivo_complete" OR list_contains(${alias}."_kaivo_present", '${column}'))`,
    literalRows: (columns, rows) => `(SELECT * FROM (VALUES ${rows.map((r) => `(${r.join(", ")})`).join(", ")}) AS v(${columns.map(quote).join(", ")}))`,
    beginTransaction: "BEGIN TRANSACTION",
    commitTransaction: "COMMIT",
    // DDL is transactional in DuckDB, so a full refresh also follows a changed column selection atomically.
    // Kept rows wait in a temporary table, and go back by name: the table's columns may have changed.
    replaceTable: (target, select, keep) => {
      const table = `${quote(schema)}.${quote(target.name)}`;
      const kept = quote(`_kaivo_kept_${target.name}`);
      const columns = `[${target.columns.map((c) => quoteDuckDbString(c.name)).join(", ")}]`;
      return [
        ...(keep ? [`CREATE OR REPLACE TEMP TABLE ${kept} AS SELECT * FROM ${table} AS t WHERE ${keep}`] : []),
        `DROP TABLE IF EXISTS ${table}`,
        emitDuckDbDdl(target, target.columns, schema),
        `INSERT INTO ${table} ${select}`,
        ...(keep ? [`INSERT INTO ${table} BY NAME SELECT COLUMNS(c -> list_contains(${columns}, c)) FROM ${kept}`, `DROP TABLE ${kept}`] : []),
      ];
    },
  };
}
