import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDbHandle } from "../../src/destinations/duckdb/duckdb-connection.js";
import { DuckDbDestination } from "../../src/destinations/duckdb/duckdb-destination.js";
import type { Row } from "./tenant-fixture.js";

export const GENERATED_DDL_DIR = new URL("../../../../generated/duckdb/", import.meta.url).pathname;
export const MODELS_DIR = new URL("../../../../models/", import.meta.url).pathname.replace(/\/$/, "");

/** Synced table names, from the generated DDL files. */
export function syncedTableNames(): string[] {
  return readdirSync(GENERATED_DDL_DIR).filter((f) => f.endsWith(".sql")).map((f) => f.replace(/\.sql$/, "")).sort();
}

/** An in-memory DuckDB warehouse with every synced table created from generated/duckdb/*.sql, except `skip`. */
export async function openWarehouse(skip: string[] = []): Promise<DuckDbDestination> {
  const destination = await DuckDbDestination.open({ path: ":memory:" });
  for (const table of syncedTableNames()) {
    if (!skip.includes(table)) await destination.handle.run(readFileSync(join(GENERATED_DDL_DIR, `${table}.sql`), "utf8"));
  }
  return destination;
}

/**
 * Inserts rows given in warehouse column names; absent columns and struct fields become NULL.
 * Goes through read_json with the table's own column types, so nested records need no SQL literals.
 */
export async function insertRows(handle: DuckDbHandle, table: string, rows: Row[], syncedAt: string): Promise<void> {
  if (rows.length === 0) return;
  const columns = (await handle.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
  )) as { column_name: string; data_type: string }[];
  const dir = mkdtempSync(join(tmpdir(), "kaivo-rows-"));
  try {
    const file = join(dir, `${table}.ndjson`);
    writeFileSync(file, rows.map((r) => JSON.stringify({ _kaivo_synced_at: syncedAt, ...r })).join("\n"));
    const spec = columns.map((c) => `'${c.column_name}': '${c.data_type.replace(/'/g, "''")}'`).join(", ");
    await handle.run(`INSERT INTO "${table}" BY NAME SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${spec}})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
