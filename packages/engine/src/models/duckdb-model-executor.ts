import type { DuckDBConnection } from "@duckdb/node-api";
import { dialectFor } from "./dialects/index.js";
import type { ModelExecutor } from "./model-executor.js";

/** A ModelExecutor over an open DuckDB connection; rows come back JSON-safe (BIGINT and timestamps as strings). */
export function duckDbModelExecutor(connection: DuckDBConnection): ModelExecutor {
  const execute = async (sql: string) => {
    await connection.run(sql);
  };
  return {
    dialect: "duckdb",
    execute,
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    },
    snapshot: duckDbSnapshot(execute),
  };
}

/** ModelExecutor.snapshot for DuckDB: a temporary table, private to the connection and gone with it. */
export function duckDbSnapshot(execute: (sql: string) => Promise<void>): NonNullable<ModelExecutor["snapshot"]> {
  return async (relation, name) => {
    const copy = `temp.main.${dialectFor("duckdb").quoteIdentifier(`kaivo_tests_${name}`)}`;
    await execute(`CREATE OR REPLACE TEMP TABLE ${copy} AS SELECT * FROM ${relation}`);
    return { relation: copy, drop: () => execute(`DROP TABLE IF EXISTS ${copy}`) };
  };
}
