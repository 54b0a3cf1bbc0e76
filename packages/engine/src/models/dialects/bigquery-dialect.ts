import { assertPlainIdentifier, createOrReplace, dropIfExists, quoteStringLiteral, type LogicalType, type SqlDialect } from "./sql-dialect.js";

const TYPES: Record<LogicalType, string> = {
  string: "STRING",
  int64: "INT64",
  float64: "FLOAT64",
  bool: "BOOL",
  timestamp: "TIMESTAMP",
  date: "DATE",
};

function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, "\\`")}\``;
}

/** GoogleSQL (BigQuery) spellings of the dialect constructs. */
export const bigQueryDialect: SqlDialect = {
  name: "bigquery",
  relation(schema, name, project) {
    assertPlainIdentifier("dataset", schema);
    if (project !== undefined && !/^[a-z][a-z0-9.:-]*$/.test(project)) throw new Error(`project "${project}" is not a BigQuery project id`);
    return `\`${project === undefined ? "" : `${project}.`}${schema}.${name}\``;
  },
  quoteIdentifier,
  starExcept: (columns) => `* EXCEPT (${columns.map(quoteIdentifier).join(", ")})`,
  materialize: createOrReplace,
  drop: dropIfExists,
  now: () => "CURRENT_TIMESTAMP()",
  addDays: (expr, days) => `${days < 0 ? "TIMESTAMP_SUB" : "TIMESTAMP_ADD"}(${expr}, INTERVAL ${Math.abs(days)} DAY)`,
  // Rounded down, as DuckDB's: TIMESTAMP_DIFF(…, DAY) rounds toward zero, so 12 hours past would read as 0 days, not -1.
  daysBetween: (start, end) => `CAST(FLOOR(TIMESTAMP_DIFF(${end}, ${start}, MICROSECOND) / 86400000000) AS INT64)`,
  dateOf: (expr) => `DATE(${expr})`,
  // JSON_VALUE already returns NULL for objects, arrays and JSON null; SAFE.PARSE_JSON turns invalid JSON into NULL.
  jsonScalar: (expr, path) => `JSON_VALUE(SAFE.PARSE_JSON(${expr}), ${quoteStringLiteral(path)})`,
  unnest: (expr, alias, offsetAlias) =>
    `UNNEST(${expr}) AS ${alias}${offsetAlias === undefined ? "" : ` WITH OFFSET AS ${offsetAlias}`}`,
  arrayLength: (expr) => `ARRAY_LENGTH(${expr})`,
  arrayContains: (arrayExpr, value) => `${value} IN UNNEST(${arrayExpr})`,
  // STRING_AGG(DISTINCT x, ', ' ORDER BY x) is valid GoogleSQL but node-sql-parser 5.4 rejects a
  // delimiter together with ORDER BY; the default delimiter "," keeps the output parseable and
  // identical to DuckDB's.
  stringAgg: (expr, distinct) => `STRING_AGG(${distinct ? "DISTINCT " : ""}${expr} ORDER BY ${expr})`,
  cast: (expr, type) => `CAST(${expr} AS ${TYPES[type]})`,
  safeCast: (expr, type) => `SAFE_CAST(${expr} AS ${TYPES[type]})`,
  stringLiteral: quoteStringLiteral,
};
