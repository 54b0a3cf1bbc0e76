import { BigQueryError, duplicate, invalidQuery, notFound } from "../errors.js";

/**
 * DuckDB error → BigQuery error. Missing tables/schemas become notFound and existing ones duplicate, as BigQuery
 * reports them; everything else is invalidQuery carrying DuckDB's first message line.
 */
export function mapDuckDbError(error: unknown, projectId: string, location: string): BigQueryError {
  if (error instanceof BigQueryError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const first = (text.split("\n")[0] ?? text).trim();
  const table = /Table with name "?([^"!\s]+)"? does not exist/.exec(first);
  if (table !== null) return notFound(`Table ${projectId}:${table[1] ?? ""} was not found in location ${location}`);
  const schema = /Schema with name "?([^"!\s]+)"? does not exist/.exec(first);
  if (schema !== null) return notFound(`Dataset ${projectId}:${schema[1] ?? ""} was not found in location ${location}`);
  const exists = /Table with name "?([^"!\s]+)"? already exists/.exec(first);
  if (exists !== null) return duplicate(`Table ${projectId}:${exists[1] ?? ""}`);
  const schemaExists = /Schema with name "?([^"!\s]+)"? already exists/.exec(first);
  if (schemaExists !== null) return duplicate(`Dataset ${projectId}:${schemaExists[1] ?? ""}`);
  const column = /Referenced column "?([^"\s]+)"? not found/.exec(first);
  if (column !== null) return invalidQuery(`Unrecognized name: ${column[1] ?? ""} (${first})`);
  const notNull = /NOT NULL constraint failed: (\S+)/.exec(first);
  if (notNull !== null) return invalidQuery(`Required field ${notNull[1] ?? ""} cannot be null`);
  return invalidQuery(first);
}
