import type { DuckDBConnection, DuckDBResultReader } from "@duckdb/node-api";

/** Run SQL and read every row. */
export async function readAll(connection: DuckDBConnection, sql: string): Promise<DuckDBResultReader> {
  return connection.runAndReadAll(sql);
}

/** Run SQL and return its rows as JSON-friendly objects (BIGINT as strings). */
export async function rowsOf(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** First DuckDB error line, without the "Binder Error:" style prefix noise kept. */
export function duckMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? text).trim();
}
