import type { ColumnSpec } from "@kaivo/codegen";

/** Helper columns every staged row carries next to the target's columns. */
export const OP_COLUMN = "_kaivo_op";
export const PRESENT_COLUMN = "_kaivo_present";

/**
 * One row on its way into the warehouse: the column values that Graph sent (partial objects carry
 * only some), which columns those are, and whether the row is an upsert or a removal.
 */
export interface StagedRow {
  key: string;
  op: "upsert" | "delete";
  /** Column name -> warehouse value (RECORD as nested object, REPEATED as array, JSON as raw value). */
  values: Record<string, unknown>;
  /** Columns whose values Graph sent; the others keep what the warehouse has. */
  present: Set<string>;
  deletedReason: string | null;
}

/** Projects a validated Graph record onto warehouse columns. Absent fields stay absent. */
export function projectRecord(record: Record<string, unknown>, columns: readonly ColumnSpec[]): { values: Record<string, unknown>; present: Set<string> } {
  const values: Record<string, unknown> = {};
  const present = new Set<string>();
  for (const column of columns) {
    if (column.system || !(column.graphName in record)) continue;
    values[column.name] = toWarehouseValue(record[column.graphName], column);
    present.add(column.name);
  }
  return { values, present };
}

function toWarehouseValue(value: unknown, column: ColumnSpec): unknown {
  if (column.mode === "REPEATED") {
    // BigQuery rejects NULL arrays and NULL elements (reference bigquery.md section 3.3): store [].
    if (!Array.isArray(value)) return [];
    return value.filter((v) => v !== null && v !== undefined).map((v) => toScalarValue(v, column));
  }
  if (value === null || value === undefined) return null;
  return toScalarValue(value, column);
}

function toScalarValue(value: unknown, column: ColumnSpec): unknown {
  if (column.type === "RECORD" && column.fields) {
    if (value === null || typeof value !== "object") return null;
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of column.fields) out[field.name] = toWarehouseValue(record[field.graphName], field);
    return out;
  }
  return value;
}

/** Folds a later row for the same key into an earlier one, in Graph's order (design: merge by id, in order). */
export function foldRows(earlier: StagedRow, later: StagedRow): StagedRow {
  if (later.op === "delete" || earlier.op === "delete") return later;
  const values = { ...earlier.values, ...later.values };
  const present = new Set([...earlier.present, ...later.present]);
  return { ...later, values, present };
}

/** Stable key string of a row from its key columns. */
export function keyOf(values: Record<string, unknown>, keyColumns: readonly string[]): string {
  return keyColumns.length === 1 ? String(values[keyColumns[0]!]) : JSON.stringify(keyColumns.map((k) => values[k]));
}
