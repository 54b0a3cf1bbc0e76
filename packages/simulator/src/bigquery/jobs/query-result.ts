import type { DuckDBResultReader, DuckDBType, DuckDBValue } from "@duckdb/node-api";
import { toCell, type CellOptions, type FvRow } from "../schema/cells.js";
import { fieldFromDuckType, type TableFieldSchema } from "../schema/field-schema.js";

/** Rows of a finished query, kept as DuckDB values so each page is formatted as its request asks. */
export interface QueryResult {
  readonly schema: readonly TableFieldSchema[];
  readonly types: readonly DuckDBType[];
  readonly values: readonly (readonly DuckDBValue[])[];
}

export const EMPTY_RESULT: QueryResult = { schema: [], types: [], values: [] };

/**
 * Capture a DuckDB result. Column names that are not valid BigQuery names (DuckDB names unnamed expressions after
 * their text, e.g. `count_star()`) become f0_, f1_, … as in BigQuery; result fields are NULLABLE or REPEATED.
 */
export function toQueryResult(reader: DuckDBResultReader): QueryResult {
  const types = reader.columnTypes();
  const names = reader.columnNames().map((name, i) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `f${i}_`));
  const schema = names.map((name, i) => fieldFromDuckType(name, types[i] as DuckDBType));
  return { schema, types, values: reader.getRows() };
}

/** f/v rows [start, start + count). */
export function pageRows(result: QueryResult, start: number, count: number, options: CellOptions): FvRow[] {
  return result.values.slice(start, start + count).map((values) => ({ f: values.map((v, i) => toCell(v, result.types[i] as DuckDBType, options)) }));
}
