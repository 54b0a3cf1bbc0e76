import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { duckTypeOf, type TableFieldSchema } from "../schema/field-schema.js";
import { quoteString } from "../sql/tokens.js";

/**
 * Insert normalised rows (see normalizeRow) through a temporary NDJSON file and DuckDB's read_json with explicit
 * column types — the fastest bulk path (toolchain-notes §4), and it handles nested STRUCT/LIST/JSON values.
 */
export async function insertRows(connection: DuckDBConnection, tableSql: string, fields: readonly TableFieldSchema[], rows: readonly Record<string, unknown>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const file = join(tmpdir(), `kaivo-bq-emulator-${process.pid}-${randomUUID()}.ndjson`);
  try {
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n", "utf8");
    const columns = fields.map((f) => `${quoteString(f.name)}: ${quoteString(duckTypeOf(f))}`).join(", ");
    const reader = await connection.runAndReadAll(
      `INSERT INTO ${tableSql} BY NAME SELECT * FROM read_json(${quoteString(file)}, format = 'newline_delimited', columns = {${columns}}, maximum_object_size = 1073741824)`,
    );
    return reader.rowsChanged;
  } finally {
    await rm(file, { force: true });
  }
}
