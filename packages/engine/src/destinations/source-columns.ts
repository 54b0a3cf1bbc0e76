import type { ModelTarget, MissingColumn } from "../models/types.js";
import type { ModelSource } from "../plan/table-plan.js";
import type { SqlDialect } from "./sql/dialect.js";

/**
 * How `{{source}}` reads each of `sources` present in the warehouse (`existing`: table -> its
 * columns by lower-case name), so that the views see what a table synced anew with today's
 * declarations and selection would hold:
 * - declared columns it lacks, or keeps from an earlier selection (values no sync updates any
 *   more), read as typed NULLs (`missingSourceColumns`);
 * - stored columns no declaration has (dropped or renamed) are left out (`undeclaredSourceColumns`).
 */
export function sourceColumns(dialect: SqlDialect, sources: readonly ModelSource[], existing: ReadonlyMap<string, ReadonlyMap<string, unknown>>): Pick<ModelTarget, "missingSourceColumns" | "undeclaredSourceColumns"> {
  const missing: Record<string, MissingColumn[]> = {};
  const undeclared: Record<string, string[]> = {};
  for (const { declared, selected } of sources) {
    const stored = existing.get(declared.name);
    if (stored === undefined) continue;
    const chosen = new Set((selected ?? declared).columns.map((c) => c.name.toLowerCase()));
    const lacking = declared.columns
      .filter((c) => !stored.has(c.name.toLowerCase()) || !chosen.has(c.name.toLowerCase()))
      // A synced list is never NULL (an absent one is stored []); BigQuery reads a NULL array as [] itself.
      .map((c): MissingColumn => ({
        name: c.name,
        sqlType: dialect.type(c),
        value: c.mode === "REPEATED" && dialect.name === "duckdb" ? "[]" : "NULL",
        ...(stored.has(c.name.toLowerCase()) ? { stored: true } : {}),
      }));
    if (lacking.length > 0) missing[declared.name] = lacking;
    const known = new Set(declared.columns.map((c) => c.name.toLowerCase()));
    const extra = [...stored.keys()].filter((name) => !known.has(name));
    if (extra.length > 0) undeclared[declared.name] = extra;
  }
  return { missingSourceColumns: missing, undeclaredSourceColumns: undeclared };
}
