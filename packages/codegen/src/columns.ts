import { type FieldSchema, type TableDeclaration } from "./declaration.js";
import { toColumnName } from "./naming.js";

/** Warehouse types, named as BigQuery's GoogleSQL names them; DuckDB maps each one. */
export type ColumnType = "STRING" | "TIMESTAMP" | "DATE" | "BOOL" | "INT64" | "FLOAT64" | "RECORD" | "JSON";
export type ColumnMode = "NULLABLE" | "REQUIRED" | "REPEATED";

/**
 * The string formats that give a column its own type, with what the type holds (for messages).
 * The record validator checks values against these; any other format is an annotation.
 */
export const TYPED_FORMATS: Readonly<Record<string, { type: ColumnType; holds: string }>> = {
  "date-time": { type: "TIMESTAMP", holds: "a timestamp" },
  date: { type: "DATE", holds: "a date" },
};

/** The typed format (TYPED_FORMATS) a field declares, if any. */
export function typedFormatOf(field: Pick<FieldSchema, "format">): { type: ColumnType; holds: string } | undefined {
  return field.format !== undefined && Object.hasOwn(TYPED_FORMATS, field.format) ? TYPED_FORMATS[field.format] : undefined;
}

/** One warehouse column (or RECORD sub-field), derived from one Graph field of a declaration. */
export interface ColumnSpec {
  /** snake_case warehouse name. */
  name: string;
  /** The Graph field it reads (for system columns, the column name itself). */
  graphName: string;
  type: ColumnType;
  mode: ColumnMode;
  description?: string;
  /** Sub-fields of a RECORD. */
  fields?: ColumnSpec[];
  /** Part of the table's primary key. */
  primaryKey?: true;
  /** Added by Kaivo, not read from Graph. */
  system?: true;
}

export const SYNCED_AT = "_kaivo_synced_at";
export const DELETED_AT = "_kaivo_deleted_at";
export const DELETED_REASON = "_kaivo_deleted_reason";

/** A schema construct the type mapping cannot express, with where it is. */
export class UnsupportedSchemaError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

type ScalarJsonType = "string" | "boolean" | "integer" | "number" | "object" | "array";

/** The one non-null JSON type of a field (`["string", "null"]` -> "string"). */
function jsonTypeOf(field: FieldSchema, pointer: string): ScalarJsonType {
  const types = (Array.isArray(field.type) ? field.type : [field.type]).filter((t) => t !== "null");
  if (types.length !== 1 || types[0] === undefined || types[0] === "any") {
    throw new UnsupportedSchemaError(
      pointer,
      `${field.type === undefined ? "has no type" : `has type ${JSON.stringify(field.type)}`}; a field needs exactly one JSON type (optionally with "null"), or "x-kaivo-as": "json" to be stored as JSON`,
    );
  }
  return types[0] as ScalarJsonType;
}

const UNSUPPORTED_KEYWORDS = ["$ref", "oneOf", "anyOf", "allOf", "not", "patternProperties"] as const;

function fieldToColumn(graphName: string, field: FieldSchema, pointer: string, repeated: boolean): ColumnSpec {
  const name = field["x-kaivo-column"] ?? toColumnName(graphName);
  const base = {
    name,
    graphName,
    mode: repeated ? ("REPEATED" as const) : ("NULLABLE" as const),
    ...(field.description === undefined ? {} : { description: field.description }),
  };
  if (field["x-kaivo-as"] === "json") return { ...base, type: "JSON" };
  for (const keyword of UNSUPPORTED_KEYWORDS) {
    if (field[keyword] !== undefined) {
      throw new UnsupportedSchemaError(pointer, `uses "${keyword}", which has no warehouse type; describe the field directly or mark it "x-kaivo-as": "json"`);
    }
  }
  const jsonType = jsonTypeOf(field, pointer);
  switch (jsonType) {
    case "string":
      return { ...base, type: typedFormatOf(field)?.type ?? "STRING" };
    case "boolean":
      return { ...base, type: "BOOL" };
    case "integer":
      return { ...base, type: "INT64" };
    case "number":
      return { ...base, type: "FLOAT64" };
    case "object": {
      const properties = field.properties ?? {};
      if (Object.keys(properties).length === 0) return { ...base, type: "JSON" };
      return { ...base, type: "RECORD", fields: propertiesToColumns(properties as Record<string, FieldSchema>, `${pointer}/properties`) };
    }
    case "array": {
      const items = field.items;
      if (items === undefined || Array.isArray(items)) {
        throw new UnsupportedSchemaError(pointer, `is an array without a single "items" schema; add one, or mark it "x-kaivo-as": "json"`);
      }
      if (repeated || (items as FieldSchema).type === "array") {
        throw new UnsupportedSchemaError(pointer, `is an array of arrays, which BigQuery cannot store; mark the field "x-kaivo-as": "json"`);
      }
      const item = fieldToColumn(graphName, items as FieldSchema, `${pointer}/items`, true);
      return { ...item, ...base, mode: "REPEATED", type: item.type, ...(item.fields ? { fields: item.fields } : {}) };
    }
  }
}

function propertiesToColumns(properties: Record<string, FieldSchema>, pointer: string): ColumnSpec[] {
  return Object.entries(properties).map(([graphName, field]) =>
    fieldToColumn(graphName, field, `${pointer}/${graphName.replace(/~/g, "~0").replace(/\//g, "~1")}`, false),
  );
}

/**
 * The warehouse columns of a declared table, in declaration order, followed by Kaivo's system
 * columns. Every table has all three, whatever its sync mode: a full-refresh table holds only what
 * Graph lists now, so its `_kaivo_deleted_at` stays null, but a view or query that leaves out
 * removed rows reads any table alike, and keeps working when a declaration changes its mode.
 * Primary-key columns are REQUIRED; every other column is NULLABLE or REPEATED, because delta
 * rounds carry partial objects and tombstones carry only the key.
 */
export function toColumns(declaration: Pick<TableDeclaration, "schema" | "primaryKey">): ColumnSpec[] {
  const columns = propertiesToColumns(declaration.schema.properties, "/schema/properties").map((column) =>
    declaration.primaryKey.includes(column.graphName) ? { ...column, mode: "REQUIRED" as const, primaryKey: true as const } : column,
  );
  const system: ColumnSpec[] = [
    { name: SYNCED_AT, graphName: SYNCED_AT, type: "TIMESTAMP", mode: "REQUIRED", system: true, description: "When Kaivo last wrote this row." },
    { name: DELETED_AT, graphName: DELETED_AT, type: "TIMESTAMP", mode: "NULLABLE", system: true, description: "When Graph reported the object removed; null while it exists. The row is kept for history." },
    { name: DELETED_REASON, graphName: DELETED_REASON, type: "STRING", mode: "NULLABLE", system: true, description: "Graph's @removed reason: changed (soft-deleted, restorable for 30 days) or deleted (gone), or vanished when a full resync no longer found it." },
  ];
  return [...columns, ...system];
}

/** Every leaf column, RECORD sub-fields included (BigQuery's 10,000-column limit counts these). */
export function countLeafColumns(columns: readonly ColumnSpec[]): number {
  return columns.reduce((n, c) => n + (c.fields ? countLeafColumns(c.fields) : 1), 0);
}

/** Deepest RECORD nesting (a flat table is depth 1). */
export function nestingDepth(columns: readonly ColumnSpec[]): number {
  return columns.reduce((d, c) => Math.max(d, c.fields ? 1 + nestingDepth(c.fields) : 1), 0);
}
