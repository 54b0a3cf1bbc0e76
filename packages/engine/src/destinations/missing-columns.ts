import type { MissingColumn } from "../models/types.js";
import type { TableTarget } from "../plan/table-plan.js";
import type { SqlDialect } from "./sql/dialect.js";

/**
 * Per table of `sources` present in the warehouse (`existing`: table -> its columns by lower-case
 * name), the declared columns it lacks, typed for `dialect`. A table is created with the columns
 * selected when it was synced; the views are written against every declared one.
 */
export function missingColumns(dialect: SqlDialect, sources: readonly TableTarget[], existing: ReadonlyMap<string, { has(name: string): boolean }>): Record<string, MissingColumn[]> {
  const missing: Record<string, MissingColumn[]> = {};
  for (const source of sources) {
    const columns = existing.get(source.name);
    if (columns === undefined) continue;
    const lacking = source.columns
      .filter((c) => !columns.has(c.name.toLowerCase()))
      // A synced list is never NULL (an absent one is stored []); BigQuery reads a NULL array as [] itself.
      .map((c): MissingColumn => ({ name: c.name, sqlType: dialect.type(c), value: c.mode === "REPEATED" && dialect.name === "duckdb" ? "[]" : "NULL" }));
    if (lacking.length > 0) missing[source.name] = lacking;
  }
  return missing;
}
