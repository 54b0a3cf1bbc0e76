import type { Dialect } from "../types.js";
import { bigQueryDialect } from "./bigquery-dialect.js";
import { duckDbDialect } from "./duckdb-dialect.js";
import type { SqlDialect } from "./sql-dialect.js";

export { LOGICAL_TYPES, type LogicalType, type SqlDialect } from "./sql-dialect.js";

const DIALECTS: Record<Dialect, SqlDialect> = { duckdb: duckDbDialect, bigquery: bigQueryDialect };

export function dialectFor(name: Dialect): SqlDialect {
  return DIALECTS[name];
}
