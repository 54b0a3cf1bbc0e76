import { invalid } from "../errors.js";
import { duckTypeOf, fieldMode, type TableFieldSchema } from "../schema/field-schema.js";
import { quoteIdent } from "../sql/tokens.js";

/**
 * DuckDB ALTER statements that turn `current` into `next` for tables.patch / tables.update. BigQuery allows only
 * additive changes (bigquery.md §3.6): new NULLABLE/REPEATED fields (also inside RECORDs) and REQUIRED → NULLABLE.
 * A missing field, a changed type or any other mode change is rejected with `invalid`.
 */
export function schemaChanges(current: readonly TableFieldSchema[], next: readonly TableFieldSchema[], tableSql: string, fullName: string): string[] {
  const statements: string[] = [];
  diff(current, next, [], [], statements, tableSql, fullName);
  return statements;
}

/** `path`: the field's dotted name for messages; `columnPath`: DuckDB's, through `element` of a list. */
function diff(current: readonly TableFieldSchema[], next: readonly TableFieldSchema[], path: string[], columnPath: string[], out: string[], tableSql: string, fullName: string): void {
  const mismatch = (detail: string): Error => invalid(`Provided Schema does not match Table ${fullName}. ${detail}`);
  const byName = new Map(next.map((f) => [f.name.toLowerCase(), f]));
  for (const field of current) {
    const name = [...path, field.name].join(".");
    const replacement = byName.get(field.name.toLowerCase());
    if (replacement === undefined) throw mismatch(`Field ${name} is missing in new schema`);
    if (replacement.type !== field.type) throw mismatch(`Field ${name} has changed type from ${field.type} to ${replacement.type}`);
    const from = fieldMode(field);
    const to = fieldMode(replacement);
    if (from !== to) {
      if (from === "REQUIRED" && to === "NULLABLE" && path.length === 0) out.push(`ALTER TABLE ${tableSql} ALTER COLUMN ${quoteIdent(field.name)} DROP NOT NULL`);
      else throw mismatch(`Field ${name} has changed mode from ${from} to ${to}`);
    }
    if (field.type === "RECORD") {
      const column = [...columnPath, quoteIdent(field.name), ...(from === "REPEATED" ? ["element"] : [])];
      diff(field.fields ?? [], replacement.fields ?? [], [...path, field.name], column, out, tableSql, fullName);
    }
  }
  const known = new Set(current.map((f) => f.name.toLowerCase()));
  for (const field of next) {
    if (known.has(field.name.toLowerCase())) continue;
    const name = [...path, field.name].join(".");
    if (fieldMode(field) === "REQUIRED") throw invalid(`Provided Schema does not match Table ${fullName}. Cannot add required field ${name}`);
    // DuckDB adds struct fields with a dotted column path (ALTER TABLE t ADD COLUMN addr.zip ..., a list's element as `element`)
    out.push(`ALTER TABLE ${tableSql} ADD COLUMN ${[...columnPath, quoteIdent(field.name)].join(".")} ${duckTypeOf(field)}`);
  }
}

/** Description per dotted field path. */
export function collectDescriptions(fields: readonly TableFieldSchema[], prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const field of fields) {
    const path = `${prefix}${field.name}`;
    if (field.description !== undefined) out[path] = field.description;
    if (field.fields !== undefined) collectDescriptions(field.fields, `${path}.`, out);
  }
  return out;
}
