import type { ColumnSpec } from "@kaivo/codegen";

/** Helper columns every staged row carries next to the target's columns. */
export const OP_COLUMN = "_kaivo_op";
export const PRESENT_COLUMN = "_kaivo_present";
export const COMPLETE_COLUMN = "_kaivo_complete";

/**
 * One row on its way into the warehouse: the column values that Graph sent (partial objects carry
 * only some), which columns those are, and whether the row is an upsert or a removal.
 */
export interface StagedRow {
  key: string;
  /**
   * "patch": a partial record of an object whose earlier record was rejected (RejectedObjects). It
   * updates a stored row like an upsert, but inserts none: the object's other columns are unknown.
   */
  op: "upsert" | "patch" | "delete";
  /**
   * Column name -> warehouse value (RECORD as nested object, REPEATED as array, JSON as raw value).
   * A complete row holds them already serialised in `json` instead, which takes a fraction of the
   * memory while it waits for its commit.
   */
  values: Record<string, unknown>;
  json?: string;
  /**
   * "all" for a complete object (a list or initial delta round, where an omitted property means
   * "never set", i.e. null); otherwise the columns Graph sent, and the others keep their stored value.
   */
  present: Set<string> | "all";
  deletedReason: string | null;
}

/**
 * Projects a validated Graph record onto warehouse columns. For a partial record (an incremental
 * delta round) absent fields stay absent; for a complete one they read as null.
 *
 * NULLs are left out of a complete row, and of a RECORD value in any row: the staged rows are read
 * with every column typed (DuckDB's read_ndjson, BigQuery's load schema), where a field left out
 * reads as NULL. Graph's objects hold many NULLs: 100k users' staged rows shrink by a fifth (231 to
 * 186 MB), which DuckDB parses in 10-25% less time. (A partial row keeps its top-level NULLs, which
 * clear a stored value: rows of one key fold field by field. A JSON column's value is kept whole.)
 */
export function projectRecord(record: Record<string, unknown>, columns: readonly ColumnSpec[], complete: boolean): { values: Record<string, unknown>; present: Set<string> | "all" } {
  const values: Record<string, unknown> = {};
  if (complete) {
    for (const column of columns) {
      if (column.system) continue;
      const value = toWarehouseValue(record[column.graphName], column);
      if (value !== null) values[column.name] = value;
    }
    return { values, present: "all" };
  }
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
    // Scalars without nulls, by far the common case, are stored as Graph sent them: no copy.
    if (column.type !== "RECORD" && !value.includes(null) && !value.includes(undefined)) return value;
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
    for (const field of column.fields) {
      const fieldValue = toWarehouseValue(record[field.graphName], field);
      if (fieldValue !== null) out[field.name] = fieldValue;
    }
    return out;
  }
  return value;
}

/** Folds a later row for the same key into an earlier one, in Graph's order (design: merge by id, in order). */
export function foldRows(earlier: StagedRow, later: StagedRow): StagedRow {
  if (later.op === "delete" || earlier.op === "delete" || later.present === "all") return later;
  const values = { ...(earlier.json === undefined ? earlier.values : (JSON.parse(earlier.json) as Record<string, unknown>)), ...later.values };
  const present = earlier.present === "all" ? "all" : new Set([...earlier.present, ...later.present]);
  const { json: _json, ...rest } = later;
  // An upsert that may insert the row stays one when a patch follows it.
  return { ...rest, op: earlier.op === "upsert" ? "upsert" : later.op, values, present };
}

/** Stable key string of a row from its key columns. */
export function keyOf(values: Record<string, unknown>, keyColumns: readonly string[]): string {
  if (keyColumns.length === 1) return String(values[keyColumns[0]!]);
  return keyColumns.map((k) => String(values[k])).join("\u0000");
}
