import type { DuckDBConnection } from "@duckdb/node-api";
import type { ModelExecutor } from "./model-executor.js";

/** A ModelExecutor over an open DuckDB connection; rows come back JSON-safe (BIGINT and timestamps as strings). */
export function duckDbModelExecutor(connection: DuckDBConnection): ModelExecutor {
  return {
    dialect: "duckdb",
    async execute(sql) {
      await connection.run(sql);
    },
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    },
  };
}
