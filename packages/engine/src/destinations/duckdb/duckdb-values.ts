const INTEGER_TYPES = new Set(["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"]);

/**
 * A value of DuckDB's JSON rows (getRowObjectsJson) as it should print: integers as numbers when
 * they fit (as strings otherwise), timestamps as ISO strings, exact to the microsecond.
 */
export function plainJsonValue(value: unknown, type: string): unknown {
  if (typeof value !== "string") return value;
  if (INTEGER_TYPES.has(type)) return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (type.startsWith("TIMESTAMP")) return isoTimestamp(value);
  return value;
}

/** DuckDB's `2024-05-06 07:08:09.123456+00` as `2024-05-06T07:08:09.123456Z`. */
export function isoTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:\+00(?::00)?)?$/.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}
