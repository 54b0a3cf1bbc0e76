import type { Dialect, Materialization } from "../types.js";

/** Types a template can cast to, spelled once and mapped per warehouse. */
export const LOGICAL_TYPES = ["string", "int64", "float64", "bool", "timestamp", "date"] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];

/**
 * What differs between GoogleSQL and DuckDB, one method per construct (dbt's cross-database
 * macros, dispatched by adapter). Arguments named `expr` are SQL expressions, inserted as they are.
 */
export interface SqlDialect {
  readonly name: Dialect;
  /** A table or view: `"schema"."name"` (DuckDB) or `` `project.dataset.name` `` (BigQuery). */
  relation(schema: string, name: string, project: string | undefined): string;
  quoteIdentifier(name: string): string;
  /** Every column but `columns`: `* EXCLUDE (…)` (DuckDB), `* EXCEPT (…)` (BigQuery). */
  starExcept(columns: readonly string[]): string;
  /** CREATE OR REPLACE VIEW/TABLE ... AS <body>. */
  materialize(kind: Materialization, relation: string, body: string): string;
  /** DROP VIEW/TABLE IF EXISTS. */
  drop(kind: Materialization, relation: string): string;
  /** The current timestamp, as a TIMESTAMP (BigQuery) / TIMESTAMPTZ (DuckDB). */
  now(): string;
  /** `expr` plus `days` days (negative to subtract). */
  addDays(expr: string, days: number): string;
  /** Whole days from `start` to `end`: 24-hour periods, rounded down (12 hours before `start` is -1). */
  daysBetween(start: string, end: string): string;
  /** The UTC calendar date of a timestamp. */
  dateOf(expr: string): string;
  /** The scalar at `path` of a JSON-encoded string as a string; NULL for objects, arrays, JSON null, a missing path or invalid JSON. */
  jsonScalar(expr: string, path: string): string;
  /** A FROM item (after JOIN) yielding one row per element of an array as `alias`, with its 0-based position as `offsetAlias`. */
  unnest(expr: string, alias: string, offsetAlias: string | undefined): string;
  /** Number of elements; NULL for a NULL array. */
  arrayLength(expr: string): string;
  /** TRUE when the array holds `value`. */
  arrayContains(arrayExpr: string, value: string): string;
  /** Non-NULL values (each once when `distinct`) joined with "," in ascending order (an aggregate). */
  stringAgg(expr: string, distinct: boolean): string;
  cast(expr: string, type: LogicalType): string;
  /** Cast that yields NULL instead of failing. */
  safeCast(expr: string, type: LogicalType): string;
  /** Quoted string literal. */
  stringLiteral(value: string): string;
}

/** Identifiers Kaivo creates or reads are plain; refuse anything that would need escaping. */
export function assertPlainIdentifier(kind: string, value: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(value)) {
    throw new Error(`${kind} "${value}" must be letters, digits, _ or - (starting with a letter or _)`);
  }
}

export function quoteStringLiteral(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** CREATE OR REPLACE for a model, which GoogleSQL and DuckDB spell alike. */
export function createOrReplace(kind: Materialization, relation: string, body: string): string {
  return `CREATE OR REPLACE ${kind === "view" ? "VIEW" : "TABLE"} ${relation} AS\n${body}`;
}

/** DROP IF EXISTS for a model's object, which GoogleSQL and DuckDB spell alike. */
export function dropIfExists(kind: Materialization, relation: string): string {
  return `DROP ${kind === "view" ? "VIEW" : "TABLE"} IF EXISTS ${relation}`;
}
