import { quoteDuckDbString } from "@kaivo/codegen";
import { assertPlainIdentifier, createOrReplace, dropIfExists, type LogicalType, type SqlDialect } from "./sql-dialect.js";

const TYPES: Record<LogicalType, string> = {
  string: "VARCHAR",
  int64: "BIGINT",
  float64: "DOUBLE",
  bool: "BOOLEAN",
  // Synced timestamps are TIMESTAMPTZ (generated/duckdb); casts must match them to union and compare.
  timestamp: "TIMESTAMPTZ",
  date: "DATE",
};

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** DuckDB spellings of the dialect constructs. */
export const duckDbDialect: SqlDialect = {
  name: "duckdb",
  relation(schema, name) {
    assertPlainIdentifier("schema", schema);
    return `${quote(schema)}.${quote(name)}`;
  },
  quoteIdentifier: quote,
  starExcept: (columns) => `* EXCLUDE (${columns.map(quote).join(", ")})`,
  materialize: createOrReplace,
  drop: dropIfExists,
  now: () => "current_timestamp",
  addDays: (expr, days) => `(${expr} ${days < 0 ? "-" : "+"} INTERVAL ${Math.abs(days)} DAY)`,
  daysBetween: (start, end) => `CAST(floor((epoch(${end}) - epoch(${start})) / 86400) AS BIGINT)`,
  // A TIMESTAMPTZ casts to DATE in the session time zone; convert to UTC first, as BigQuery's DATE() does.
  dateOf: (expr) => `CAST(timezone('UTC', ${expr}) AS DATE)`,
  // json_extract_string fails on invalid JSON and returns objects/arrays as text; guard both.
  jsonScalar: (expr, path) =>
    `(CASE WHEN json_valid(${expr}) AND json_type(${expr}, ${quoteDuckDbString(path)}) NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(${expr}, ${quoteDuckDbString(path)}) END)`,
  unnest: (expr, alias, offsetAlias) =>
    `(SELECT UNNEST(${expr}) AS ${alias}${offsetAlias === undefined ? "" : `, generate_subscripts(${expr}, 1) - 1 AS ${offsetAlias}`}) AS _unnest_${alias}`,
  arrayLength: (expr) => `len(${expr})`,
  arrayContains: (arrayExpr, value) => `list_contains(${arrayExpr}, ${value})`,
  stringAgg: (expr, distinct) => `string_agg(${distinct ? "DISTINCT " : ""}${expr}, ',' ORDER BY ${expr})`,
  cast: (expr, type) => `CAST(${expr} AS ${TYPES[type]})`,
  safeCast: (expr, type) => `TRY_CAST(${expr} AS ${TYPES[type]})`,
  stringLiteral: quoteDuckDbString,
};
