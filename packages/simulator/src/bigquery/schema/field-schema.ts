import { DuckDBTypeId, type DuckDBType } from "@duckdb/node-api";
import { quoteIdent } from "../sql/tokens.js";

/** BigQuery TableFieldSchema (the subset the emulator stores and returns). */
export interface TableFieldSchema {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly fields?: readonly TableFieldSchema[];
  readonly description?: string;
}

/** Standard SQL / alias type names → the legacy names the REST API returns (bigquery.md §3.1). */
const LEGACY_NAMES: Readonly<Record<string, string>> = {
  INT64: "INTEGER", INTEGER: "INTEGER", FLOAT64: "FLOAT", FLOAT: "FLOAT", BOOL: "BOOLEAN", BOOLEAN: "BOOLEAN",
  STRUCT: "RECORD", RECORD: "RECORD", STRING: "STRING", BYTES: "BYTES", NUMERIC: "NUMERIC", DECIMAL: "NUMERIC",
  TIMESTAMP: "TIMESTAMP", DATE: "DATE", TIME: "TIME", DATETIME: "DATETIME", JSON: "JSON",
};

/** Legacy BigQuery type → DuckDB column type (BIGNUMERIC, GEOGRAPHY, RANGE are not emulated). */
const DUCK_TYPES: Readonly<Record<string, string>> = {
  INTEGER: "BIGINT", FLOAT: "DOUBLE", BOOLEAN: "BOOLEAN", STRING: "VARCHAR", BYTES: "BLOB", NUMERIC: "DECIMAL(38, 9)",
  TIMESTAMP: "TIMESTAMPTZ", DATE: "DATE", TIME: "TIME", DATETIME: "TIMESTAMP", JSON: "JSON",
};

export class SchemaError extends Error {
  override readonly name = "SchemaError";
}

export function legacyType(type: string): string {
  const legacy = LEGACY_NAMES[type.toUpperCase()];
  if (legacy === undefined) throw new SchemaError(`Unsupported field type ${type}`);
  return legacy;
}

export function fieldMode(field: TableFieldSchema): "NULLABLE" | "REQUIRED" | "REPEATED" {
  const mode = (field.mode ?? "NULLABLE").toUpperCase();
  if (mode !== "NULLABLE" && mode !== "REQUIRED" && mode !== "REPEATED") throw new SchemaError(`Invalid mode ${field.mode ?? ""} for field ${field.name}`);
  return mode;
}

/** Normalise a schema from a request: legacy type names, explicit modes, RECORD for fields with sub-fields. */
export function normalizeFields(fields: readonly TableFieldSchema[]): TableFieldSchema[] {
  const seen = new Set<string>();
  return fields.map((field) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,299}$/.test(field.name)) {
      throw new SchemaError(`Invalid field name "${field.name}". Fields must contain only letters, numbers, and underscores, start with a letter or underscore, and be at most 300 characters long.`);
    }
    if (seen.has(field.name.toLowerCase())) throw new SchemaError(`Field ${field.name} already exists in schema`);
    seen.add(field.name.toLowerCase());
    const type = field.fields !== undefined && field.fields.length > 0 ? "RECORD" : legacyType(field.type);
    if (type === "RECORD" && (field.fields === undefined || field.fields.length === 0)) throw new SchemaError(`Field ${field.name} is type RECORD but has no schema`);
    return {
      name: field.name,
      type,
      mode: fieldMode(field),
      ...(type === "RECORD" ? { fields: normalizeFields(field.fields ?? []) } : {}),
      ...(field.description !== undefined ? { description: field.description } : {}),
    };
  });
}

/** DuckDB type for a (normalised) field, REPEATED as a list. */
export function duckTypeOf(field: TableFieldSchema): string {
  const base =
    field.type === "RECORD"
      ? `STRUCT(${(field.fields ?? []).map((f) => `${quoteIdent(f.name)} ${duckTypeOf(f)}`).join(", ")})`
      : DUCK_TYPES[field.type];
  if (base === undefined) throw new SchemaError(`Unsupported field type ${field.type}`);
  return fieldMode(field) === "REPEATED" ? `${base}[]` : base;
}

/** Column definitions for CREATE TABLE. REQUIRED becomes NOT NULL. */
export function columnDefinitions(fields: readonly TableFieldSchema[]): string {
  return fields.map((f) => `${quoteIdent(f.name)} ${duckTypeOf(f)}${fieldMode(f) === "REQUIRED" ? " NOT NULL" : ""}`).join(", ");
}

/** BigQuery field for a DuckDB column type (result schemas and tables.get). */
export function fieldFromDuckType(name: string, type: DuckDBType, required = false): TableFieldSchema {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const element = fieldFromDuckType(name, type.valueType);
    return { ...element, mode: "REPEATED" };
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const fields = type.entryNames.map((entry, i) => fieldFromDuckType(entry, type.entryTypes[i] as DuckDBType));
    return { name, type: "RECORD", mode: required ? "REQUIRED" : "NULLABLE", fields };
  }
  return { name, type: scalarLegacyType(type), mode: required ? "REQUIRED" : "NULLABLE" };
}

function scalarLegacyType(type: DuckDBType): string {
  if (type.alias === "JSON") return "JSON";
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return "BOOLEAN";
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.INTEGER_LITERAL:
      return "INTEGER";
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE:
      return "FLOAT";
    case DuckDBTypeId.DECIMAL:
      return "NUMERIC";
    case DuckDBTypeId.TIMESTAMP_TZ:
      return "TIMESTAMP";
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS:
      return "DATETIME";
    case DuckDBTypeId.DATE:
      return "DATE";
    case DuckDBTypeId.TIME: case DuckDBTypeId.TIME_TZ:
      return "TIME";
    case DuckDBTypeId.BLOB:
      return "BYTES";
    case DuckDBTypeId.INTERVAL:
      return "INTERVAL";
    default:
      // VARCHAR, UUID, ENUM, NULL literals and anything else print as strings
      return "STRING";
  }
}
