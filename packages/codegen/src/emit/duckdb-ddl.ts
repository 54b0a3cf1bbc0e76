import type { ColumnSpec, ColumnType } from "../columns.js";
import type { TableDeclaration } from "../declaration.js";
import { generatedBanner } from "./banner.js";

const DUCKDB_TYPE: Record<Exclude<ColumnType, "RECORD">, string> = {
  STRING: "VARCHAR",
  // Graph timestamps are instants; TIMESTAMPTZ keeps them comparable with now() in any session zone.
  TIMESTAMP: "TIMESTAMPTZ",
  DATE: "DATE",
  BOOL: "BOOLEAN",
  INT64: "BIGINT",
  FLOAT64: "DOUBLE",
  JSON: "JSON",
};

export const quoteDuckDbIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A DuckDB string literal. */
export const quoteDuckDbString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** DuckDB type of a column, e.g. `STRUCT("sku_id" VARCHAR, "disabled_plans" VARCHAR[])[]`. */
export function duckDbType(column: Pick<ColumnSpec, "type" | "mode" | "fields">): string {
  const element =
    column.type === "RECORD"
      ? `STRUCT(${(column.fields ?? []).map((f) => `${quoteDuckDbIdentifier(f.name)} ${duckDbType(f)}`).join(", ")})`
      : DUCKDB_TYPE[column.type];
  return column.mode === "REPEATED" ? `${element}[]` : element;
}

/**
 * `CREATE TABLE IF NOT EXISTS` for a declared table. No PRIMARY KEY constraint: DuckDB checks
 * index constraints eagerly inside a transaction that updates list and struct columns, so the
 * key is enforced by the merge (deduplicated source, matched on the key) instead.
 */
export function emitDuckDbDdl(declaration: { name: string }, columns: readonly ColumnSpec[], schemaName?: string): string {
  const table = schemaName ? `${quoteDuckDbIdentifier(schemaName)}.${quoteDuckDbIdentifier(declaration.name)}` : quoteDuckDbIdentifier(declaration.name);
  const lines = columns.map((c) => `  ${quoteDuckDbIdentifier(c.name)} ${duckDbType(c)}${c.mode === "REQUIRED" ? " NOT NULL" : ""}`);
  return `CREATE TABLE IF NOT EXISTS ${table} (\n${lines.join(",\n")}\n);`;
}

export function emitDuckDbDdlFile(declaration: Pick<TableDeclaration, "name" | "primaryKey">, columns: readonly ColumnSpec[], sourceFile: string): string {
  const keyColumns = columns.filter((c) => c.primaryKey).map((c) => c.name);
  return `${generatedBanner("--", sourceFile)}\n-- Primary key (enforced by Kaivo's merge): ${keyColumns.join(", ")}\n${emitDuckDbDdl(declaration, columns)}\n`;
}
