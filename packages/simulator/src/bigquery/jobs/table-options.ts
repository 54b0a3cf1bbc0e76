import type { DuckDBConnection } from "@duckdb/node-api";
import type { Catalog } from "../catalog/catalog.js";
import type { TableOptionsSql } from "../sql/statement.js";

/**
 * Apply CREATE TABLE / ALTER TABLE SET OPTIONS metadata to the catalog. Option values are DuckDB expressions
 * (already translated), evaluated here: expiration_timestamp → expirationTime (ms), description, friendly_name.
 * Other options are kept as their evaluated text under `extra.options`.
 */
export async function applyTableOptions(connection: DuckDBConnection, catalog: Catalog, datasetId: string, tableId: string, options: TableOptionsSql): Promise<void> {
  const meta = catalog.ensureTable(datasetId, tableId);
  if (options.clustering !== undefined) meta.clustering = { fields: [...options.clustering] };
  if (options.partitionType !== undefined) {
    meta.timePartitioning = { type: options.partitionType, ...(options.partitionField !== undefined ? { field: options.partitionField } : {}) };
  }
  for (const [column, expr] of Object.entries(options.columnDescriptions ?? {})) {
    const value = await evaluate(connection, `CAST(${expr} AS VARCHAR)`);
    if (value !== null) meta.descriptions[column] = value;
  }
  for (const [name, expr] of Object.entries(options.options)) {
    if (name === "expiration_timestamp") {
      const ms = await evaluate(connection, `CAST(epoch_ms(CAST(${expr} AS TIMESTAMPTZ)) AS VARCHAR)`);
      if (ms === null) delete meta.expirationTime;
      else meta.expirationTime = ms;
    } else if (name === "description" || name === "friendly_name") {
      const value = await evaluate(connection, `CAST(${expr} AS VARCHAR)`);
      meta.extra[name === "description" ? "description" : "friendlyName"] = value;
    } else if (name !== "labels") {
      meta.extra[`option:${name}`] = await evaluate(connection, `CAST(${expr} AS VARCHAR)`);
    }
  }
}

async function evaluate(connection: DuckDBConnection, expr: string): Promise<string | null> {
  const reader = await connection.runAndReadAll(`SELECT ${expr}`);
  const value = reader.getRowsJson()[0]?.[0];
  return value === null || value === undefined ? null : String(value);
}
