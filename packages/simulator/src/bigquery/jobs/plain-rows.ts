import type { Cell, FvRow } from "../schema/cells.js";
import type { TableFieldSchema } from "../schema/field-schema.js";

/**
 * f/v rows → plain objects for tests: INTEGER as number (string beyond 2^53), FLOAT as number, BOOLEAN as boolean,
 * TIMESTAMP as ISO text with microseconds, RECORD as object, REPEATED as array, everything else as text.
 */
export function plainRows(schema: readonly TableFieldSchema[], rows: readonly FvRow[]): Record<string, unknown>[] {
  return rows.map((row) => plainRecord(schema, row.f));
}

function plainRecord(fields: readonly TableFieldSchema[], cells: readonly Cell[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fields.forEach((field, i) => {
    out[field.name] = plainValue(field, cells[i]?.v ?? null, field.mode === "REPEATED");
  });
  return out;
}

function plainValue(field: TableFieldSchema, v: Cell["v"], repeated: boolean): unknown {
  if (repeated) return Array.isArray(v) ? v.map((c) => plainValue(field, c.v, false)) : [];
  if (v === null) return null;
  if (field.type === "RECORD") return typeof v === "object" && !Array.isArray(v) ? plainRecord(field.fields ?? [], v.f) : null;
  if (typeof v !== "string") return null;
  switch (field.type) {
    case "INTEGER": {
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v;
    }
    case "FLOAT":
      return Number(v);
    case "BOOLEAN":
      return v === "true";
    case "TIMESTAMP": {
      const micros = BigInt(v);
      const iso = new Date(Number(micros / 1000n)).toISOString();
      return `${iso.slice(0, 19)}.${(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n).toString().padStart(6, "0")}Z`;
    }
    default:
      return v;
  }
}
