import { DuckDBTypeId, type DuckDBConnection, type DuckDBType } from "@duckdb/node-api";
import { quoteIdent } from "../sql/tokens.js";

/**
 * SQL expression for the BigQuery logical size of a value (https://cloud.google.com/bigquery/pricing#data):
 * STRING/JSON 2 + UTF-8 bytes, BYTES 2 + length, INT64/FLOAT64/TIMESTAMP/DATE/TIME/DATETIME 8, BOOL 1,
 * NUMERIC 16, STRUCT the sum of its fields, ARRAY the sum of its elements, NULL 0.
 */
export function sizeExpression(type: DuckDBType, expr: string, depth = 0): string {
  const e = `_e${depth}`;
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return `coalesce(list_sum(list_transform(${expr}, ${e} -> ${sizeExpression(type.valueType, e, depth + 1)})), 0)`;
    case DuckDBTypeId.STRUCT: {
      const parts = type.entryNames.map((name, i) => sizeExpression(type.entryTypes[i] as DuckDBType, `struct_extract(${expr}, ${sqlString(name)})`, depth));
      return parts.length === 0 ? "0" : `(${parts.join(" + ")})`;
    }
    case DuckDBTypeId.VARCHAR:
      return `coalesce(2 + strlen(CAST(${expr} AS VARCHAR)), 0)`;
    case DuckDBTypeId.BLOB:
      return `coalesce(2 + octet_length(${expr}), 0)`;
    case DuckDBTypeId.BOOLEAN:
      return `CASE WHEN ${expr} IS NULL THEN 0 ELSE 1 END`;
    case DuckDBTypeId.DECIMAL:
      return `CASE WHEN ${expr} IS NULL THEN 0 ELSE 16 END`;
    default:
      return `CASE WHEN ${expr} IS NULL THEN 0 ELSE 8 END`;
  }
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Logical bytes per column of a table, from a full scan. */
export async function columnBytes(connection: DuckDBConnection, tableSql: string): Promise<Map<string, number>> {
  const probe = await connection.runAndReadAll(`SELECT * FROM ${tableSql} LIMIT 0`);
  const names = probe.columnNames();
  const types = probe.columnTypes();
  const result = new Map<string, number>();
  if (names.length === 0) return result;
  const sums = names.map((name, i) => `CAST(coalesce(sum(${sizeExpression(types[i] as DuckDBType, quoteIdent(name))}), 0) AS BIGINT)`);
  const reader = await connection.runAndReadAll(`SELECT ${sums.join(", ")} FROM ${tableSql}`);
  const row = reader.getRowsJson()[0] ?? [];
  names.forEach((name, i) => result.set(name, Number(row[i] ?? 0)));
  return result;
}
