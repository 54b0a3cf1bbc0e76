import {
  DuckDBBlobValue, DuckDBListValue, DuckDBStructValue, DuckDBTimestampTZValue, DuckDBTypeId, type DuckDBType, type DuckDBValue,
} from "@duckdb/node-api";

/** A cell of a BigQuery f/v row. */
export type Cell = { v: CellValue };
export type CellValue = string | null | Cell[] | { f: Cell[] };
export type FvRow = { f: Cell[] };

export interface CellOptions {
  /** formatOptions.useInt64Timestamp: TIMESTAMP as int64 microseconds (the Node client always asks for it). */
  readonly int64Timestamp: boolean;
}

/**
 * DuckDB value → BigQuery f/v cell: scalars as strings, TIMESTAMP as epoch micros, REPEATED as {"v":[{"v":…}]} and
 * never null, RECORD as {"v":{"f":[…]}} (bigquery.md §4.2).
 */
export function toCell(value: DuckDBValue, type: DuckDBType, options: CellOptions): Cell {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const items = value instanceof DuckDBListValue ? value.items : [];
    return { v: items.map((item) => toCell(item, type.valueType, options)) };
  }
  if (value === null) return { v: null };
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const entries = value instanceof DuckDBStructValue ? value.entries : {};
    return { v: { f: type.entryNames.map((name, i) => toCell(entries[name] ?? null, type.entryTypes[i] as DuckDBType, options)) } };
  }
  return { v: scalarText(value, type, options) };
}

function scalarText(value: DuckDBValue, type: DuckDBType, options: CellOptions): string {
  switch (type.typeId) {
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const micros = value instanceof DuckDBTimestampTZValue ? value.micros : 0n;
      return options.int64Timestamp ? micros.toString() : floatSeconds(micros);
    }
    case DuckDBTypeId.TIMESTAMP:
      return String(value).replace(" ", "T");
    case DuckDBTypeId.BLOB:
      return value instanceof DuckDBBlobValue ? Buffer.from(value.bytes).toString("base64") : "";
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT: {
      const n = Number(value);
      if (Number.isNaN(n)) return "NaN";
      if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
      return String(n);
    }
    case DuckDBTypeId.BOOLEAN:
      return value === true ? "true" : "false";
    default:
      return typeof value === "string" ? value : String(value);
  }
}

/** Legacy TIMESTAMP rendering (float seconds in E notation), used only when useInt64Timestamp is off. */
function floatSeconds(micros: bigint): string {
  const seconds = Number(micros) / 1e6;
  return seconds.toExponential().replace("e+", "E");
}
