import { fieldMode, type TableFieldSchema } from "../schema/field-schema.js";
import { formatMicros, parseTimestampMicros } from "./timestamp.js";

export class RowError extends Error {
  override readonly name = "RowError";
}

export interface NormalizeOptions {
  readonly ignoreUnknownValues: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Check one JSON row against a BigQuery schema and return it in the shape DuckDB's read_json loads exactly:
 * every field present, REPEATED as arrays (null → []), TIMESTAMP as `…T…​.ffffffZ` (extra fraction digits
 * truncated), INTEGER as decimal text. Throws RowError with BigQuery's wording.
 */
export function normalizeRow(row: unknown, fields: readonly TableFieldSchema[], options: NormalizeOptions): Record<string, unknown> {
  if (row === null || typeof row !== "object" || Array.isArray(row)) throw new RowError("Row is not a JSON object.");
  return normalizeRecord(row as Record<string, unknown>, fields, "", options);
}

function normalizeRecord(value: Record<string, unknown>, fields: readonly TableFieldSchema[], prefix: string, options: NormalizeOptions): Record<string, unknown> {
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  if (!options.ignoreUnknownValues) {
    for (const k of Object.keys(value)) if (!byName.has(k.toLowerCase())) throw new RowError(`No such field: ${prefix}${k}.`);
  }
  const given = new Map(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field.name] = normalizeField(given.get(field.name.toLowerCase()), field, `${prefix}${field.name}`, options);
  return out;
}

function normalizeField(value: unknown, field: TableFieldSchema, path: string, options: NormalizeOptions): unknown {
  const mode = fieldMode(field);
  if (mode === "REPEATED") {
    // bigquery.md §3.3: a top-level null REPEATED value is stored as []; null elements are rejected.
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) throw new RowError(`Expected an array for repeated field: ${path}.`);
    return value.map((item) => {
      if (item === null) throw new RowError(`Only optional fields can be set to NULL. Field: ${path}; Value: NULL`);
      return normalizeScalarOrRecord(item, field, path, options);
    });
  }
  if (value === null || value === undefined) {
    if (mode === "REQUIRED") throw new RowError(`Missing required field: ${path}.`);
    return null;
  }
  if (Array.isArray(value)) throw new RowError(`Array specified for non-repeated field: ${path}.`);
  return normalizeScalarOrRecord(value, field, path, options);
}

function normalizeScalarOrRecord(value: unknown, field: TableFieldSchema, path: string, options: NormalizeOptions): unknown {
  const bad = (what: string): RowError => new RowError(`Cannot convert value to ${what}: ${path} (value: ${JSON.stringify(value)}).`);
  switch (field.type) {
    case "RECORD":
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new RowError(`Expected a JSON object for record field: ${path}.`);
      return normalizeRecord(value as Record<string, unknown>, field.fields ?? [], `${path}.`, options);
    case "JSON":
      return value; // stored as the JSON value itself (a JSON string stays a JSON string)
    case "STRING":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      throw bad("string");
    case "INTEGER": {
      const text = typeof value === "number" && Number.isInteger(value) ? value.toString() : typeof value === "string" ? value.trim() : undefined;
      if (text === undefined || !/^[+-]?\d+$/.test(text)) throw bad("integer");
      const n = BigInt(text);
      if (n < INT64_MIN || n > INT64_MAX) throw bad("integer");
      return n.toString();
    }
    case "FLOAT": {
      if (typeof value === "number") return value;
      if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
      if (typeof value === "string" && ["NaN", "Infinity", "-Infinity", "inf", "-inf"].includes(value)) return value;
      throw bad("float");
    }
    case "NUMERIC":
      if (typeof value === "number" || (typeof value === "string" && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()))) return String(value);
      throw bad("numeric");
    case "BOOLEAN":
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
      throw bad("boolean");
    case "TIMESTAMP": {
      if (typeof value === "number") return formatMicros(BigInt(Math.trunc(value * 1e6)));
      const micros = typeof value === "string" ? parseTimestampMicros(value) : undefined;
      if (micros === undefined) {
        throw new RowError(`Couldn't convert value to timestamp: Could not parse '${String(value)}' as a timestamp. Required format is YYYY-MM-DD HH:MM[:SS[.SSSSSS]] or YYYY/MM/DD HH:MM[:SS[.SSSSSS]]. Field: ${path}`);
      }
      return formatMicros(micros);
    }
    case "DATE": {
      const m = typeof value === "string" ? /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value.trim()) : null;
      if (m === null) throw bad("date");
      return `${m[1]}-${(m[2] as string).padStart(2, "0")}-${(m[3] as string).padStart(2, "0")}`;
    }
    case "DATETIME": {
      const micros = typeof value === "string" && !/(Z|[+-]\d{2}:?\d{2}|UTC)\s*$/i.test(value) ? parseTimestampMicros(value) : undefined;
      if (micros === undefined) throw bad("datetime");
      return formatMicros(micros).replace("T", " ").replace("Z", "");
    }
    case "TIME": {
      const m = typeof value === "string" ? /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(value.trim()) : null;
      if (m === null) throw bad("time");
      return `${(m[1] as string).padStart(2, "0")}:${m[2]}:${m[3] ?? "00"}.${((m[4] ?? "") + "000000").slice(0, 6)}`;
    }
    default:
      throw new RowError(`Loading ${field.type} values is not supported by the emulator (field ${path}).`);
  }
}
