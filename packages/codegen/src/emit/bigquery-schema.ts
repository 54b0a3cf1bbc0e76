import type { ColumnSpec, ColumnType } from "../columns.js";

/** A TableFieldSchema as BigQuery's REST API and `bq mk --schema` take it. */
export interface BigQueryField {
  name: string;
  type: "STRING" | "TIMESTAMP" | "DATE" | "BOOLEAN" | "INTEGER" | "FLOAT" | "RECORD" | "JSON";
  mode: "NULLABLE" | "REQUIRED" | "REPEATED";
  description?: string;
  fields?: BigQueryField[];
}

// The REST API's canonical (legacy) type names: results come back with these, and the Node client
// only knows RECORD, not STRUCT (reference bigquery.md section 3.1).
const BIGQUERY_TYPE: Record<ColumnType, BigQueryField["type"]> = {
  STRING: "STRING",
  TIMESTAMP: "TIMESTAMP",
  DATE: "DATE",
  BOOL: "BOOLEAN",
  INT64: "INTEGER",
  FLOAT64: "FLOAT",
  RECORD: "RECORD",
  JSON: "JSON",
};

const MAX_DESCRIPTION = 1024;

export function toBigQueryFields(columns: readonly ColumnSpec[]): BigQueryField[] {
  return columns.map((c) => ({
    name: c.name,
    type: BIGQUERY_TYPE[c.type],
    mode: c.mode,
    ...(c.description === undefined ? {} : { description: c.description.slice(0, MAX_DESCRIPTION) }),
    ...(c.fields ? { fields: toBigQueryFields(c.fields) } : {}),
  }));
}

/** The file `bq mk --schema generated/bigquery/<table>.json` reads: a bare JSON array of fields. */
export function emitBigQuerySchema(columns: readonly ColumnSpec[]): string {
  return `${JSON.stringify(toBigQueryFields(columns), null, 2)}\n`;
}
