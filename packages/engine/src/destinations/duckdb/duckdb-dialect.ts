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
    beginTransaction: "BEGIN TRANSACTION",
    commitTransaction: "COMMIT",
    // DDL is transactional in DuckDB, so a full refresh also follows a changed column selection atomically.
    replaceTable: (target, select) => [
      `DROP TABLE IF EXISTS ${quote(schema)}.${quote(target.name)}`,
      emitDuckDbDdl(target, target.columns, schema),
      `INSERT INTO ${quote(schema)}.${quote(target.name)} ${select}`,
    ],
  };
}
