import { DuckDBTypeId, type DuckDBType } from "@duckdb/node-api";

const INTEGER_TYPES = new Set([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
]);
const TIMESTAMP_TYPES = new Set([DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_TZ, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS]);

/**
 * A value of DuckDB's JSON rows (getRowObjectsJson) as it should print: integers as numbers when
 * they fit (as strings otherwise), timestamps as ISO strings, exact to the microsecond; inside
 * lists and structs too (a credential's end date, an audit target's properties).
 */
export function plainJsonValue(value: unknown, type: DuckDBType): unknown {
  if (value === null || value === undefined) return value;
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return Array.isArray(value) ? value.map((v) => plainJsonValue(v, type.valueType)) : value;
    case DuckDBTypeId.STRUCT: {
      if (typeof value !== "object") return value;
      const entries = value as Record<string, unknown>;
      return Object.fromEntries(type.entryNames.map((name, i) => [name, plainJsonValue(entries[name], type.entryTypes[i]!)]));
    }
    default:
      if (typeof value !== "string") return value;
      if (INTEGER_TYPES.has(type.typeId)) return Number.isSafeInteger(Number(value)) ? Number(value) : value;
      if (TIMESTAMP_TYPES.has(type.typeId)) return isoTimestamp(value);
      return value;
  }
}

/** DuckDB's `2024-05-06 07:08:09.123456+00` as `2024-05-06T07:08:09.123456Z`. */
export function isoTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:\+00(?::00)?)?$/.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}
