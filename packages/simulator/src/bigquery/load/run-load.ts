import type { DuckDBConnection } from "@duckdb/node-api";
import { tableSchema, tableSql, tableStats, type Catalog } from "../catalog/catalog.js";
import { BigQueryError, duplicate, invalid, notFound } from "../errors.js";
import { JobFailure } from "../jobs/job-failure.js";
import { columnDefinitions, duckTypeOf, normalizeFields, SchemaError, type TableFieldSchema } from "../schema/field-schema.js";
import { quoteIdent } from "../sql/tokens.js";
import { insertRows } from "./insert-rows.js";
import { parseNdjson, tooManyErrors } from "./parse-ndjson.js";

/** configuration.load of a load job (the fields the emulator honours). */
export interface LoadConfiguration {
  readonly destinationTable?: { readonly projectId?: string; readonly datasetId?: string; readonly tableId?: string };
  readonly sourceFormat?: string;
  readonly schema?: { readonly fields?: readonly TableFieldSchema[] };
  readonly writeDisposition?: string;
  readonly createDisposition?: string;
  readonly schemaUpdateOptions?: readonly string[];
  readonly ignoreUnknownValues?: boolean;
  readonly maxBadRecords?: number;
  readonly autodetect?: boolean;
  readonly sourceUris?: readonly string[];
  readonly timePartitioning?: Record<string, unknown>;
  readonly clustering?: { readonly fields?: readonly string[] };
}

export interface LoadOutcome {
  readonly datasetId: string;
  readonly tableId: string;
  readonly inputFileBytes: number;
  readonly outputRows: number;
  readonly outputBytes: number;
  readonly badRecords: number;
}

/**
 * Run a NEWLINE_DELIMITED_JSON load atomically (one DuckDB transaction: table creation/replacement, schema
 * additions and the insert are all undone on failure). Dispositions per bigquery.md §1.1.
 */
export async function runLoad(connection: DuckDBConnection, catalog: Catalog, config: LoadConfiguration, data: Buffer): Promise<LoadOutcome> {
  const destination = config.destinationTable;
  const datasetId = destination?.datasetId;
  const tableId = destination?.tableId;
  if (datasetId === undefined || tableId === undefined) throw new JobFailure(invalid("Load configuration must specify destinationTable"));
  if (destination?.projectId !== undefined && destination.projectId !== catalog.projectId) throw new JobFailure(notFound(`Project ${destination.projectId}`));
  if (config.sourceUris !== undefined && config.sourceUris.length > 0) throw new JobFailure(new BigQueryError("notImplemented", "Loads from sourceUris (Cloud Storage) are not supported by the emulator; upload the file."));
  const format = (config.sourceFormat ?? "CSV").toUpperCase();
  if (format !== "NEWLINE_DELIMITED_JSON") throw new JobFailure(new BigQueryError("notImplemented", `sourceFormat ${format} is not supported by the emulator (only NEWLINE_DELIMITED_JSON).`));
  await catalog.sync(connection);
  if (catalog.dataset(datasetId) === undefined) throw new JobFailure(notFound(`Dataset ${catalog.projectId}:${datasetId}`));

  const exists = catalog.table(datasetId, tableId) !== undefined;
  const write = (config.writeDisposition ?? "WRITE_APPEND").toUpperCase();
  const create = (config.createDisposition ?? "CREATE_IF_NEEDED").toUpperCase();
  const fullName = `${catalog.projectId}:${datasetId}.${tableId}`;
  if (!exists && create === "CREATE_NEVER") throw new JobFailure(notFound(`Table ${fullName}`));

  let jobFields: TableFieldSchema[] | undefined;
  try {
    jobFields = config.schema?.fields !== undefined ? normalizeFields(config.schema.fields) : undefined;
  } catch (error) {
    throw new JobFailure(invalid(error instanceof SchemaError ? error.message : String(error)));
  }
  if (jobFields === undefined && config.autodetect === true) throw new JobFailure(invalid("Schema autodetection is not supported by the emulator; pass an explicit schema."));
  const existingFields = exists ? await tableSchema(connection, datasetId, tableId) : undefined;
  const fields = write === "WRITE_TRUNCATE" ? (jobFields ?? existingFields) : (existingFields ?? jobFields);
  if (fields === undefined) throw new JobFailure(invalid("No schema specified on job or table."));

  const additions = exists && write !== "WRITE_TRUNCATE" && jobFields !== undefined ? schemaAdditions(existingFields ?? [], jobFields, config.schemaUpdateOptions ?? [], fullName) : [];
  const effective = [...fields, ...additions];

  const parsed = parseNdjson(data.toString("utf8"), effective, {
    ignoreUnknownValues: config.ignoreUnknownValues === true,
    maxBadRecords: config.maxBadRecords ?? 0,
  });
  if (parsed.badRecords > (config.maxBadRecords ?? 0)) {
    const summary = tooManyErrors(parsed.rows.length + parsed.badRecords, parsed.badRecords);
    throw new JobFailure(new BigQueryError("invalid", summary.message), [summary, ...parsed.errors.slice(0, 100)]);
  }

  const sql = tableSql(datasetId, tableId);
  await connection.run("BEGIN TRANSACTION");
  try {
    if (exists && write === "WRITE_EMPTY") {
      const stats = await tableStats(connection, datasetId, tableId);
      if (stats.numRows > 0) throw new JobFailure(duplicate(`Table ${fullName} already contains data (WRITE_EMPTY)`));
    }
    if (!exists || write === "WRITE_TRUNCATE") {
      await connection.run(`CREATE OR REPLACE TABLE ${sql} (${columnDefinitions(effective)})`);
    } else if (write === "WRITE_TRUNCATE_DATA") {
      await connection.run(`DELETE FROM ${sql}`);
    }
    for (const field of additions) await connection.run(`ALTER TABLE ${sql} ADD COLUMN ${quoteIdent(field.name)} ${duckTypeOf(field)}`);
    const before = !exists || write.startsWith("WRITE_TRUNCATE") ? 0 : (await tableStats(connection, datasetId, tableId)).numBytes;
    const outputRows = await insertRows(connection, sql, effective, parsed.rows);
    const after = (await tableStats(connection, datasetId, tableId)).numBytes;
    await connection.run("COMMIT");
    const meta = !exists ? catalog.resetTable(datasetId, tableId) : catalog.ensureTable(datasetId, tableId);
    if (config.clustering?.fields !== undefined) meta.clustering = { fields: [...config.clustering.fields] };
    if (config.timePartitioning !== undefined) meta.timePartitioning = { ...config.timePartitioning };
    for (const f of effective) if (f.description !== undefined) meta.descriptions[f.name] = f.description;
    catalog.touch(datasetId, tableId);
    return { datasetId, tableId, inputFileBytes: data.length, outputRows, outputBytes: after - before, badRecords: parsed.badRecords };
  } catch (error) {
    await connection.run("ROLLBACK");
    if (error instanceof JobFailure) throw error;
    const message = error instanceof Error ? error.message.split("\n")[0] ?? error.message : String(error);
    throw new JobFailure(invalid(`Error while reading data, error message: ${message}`));
  }
}

/**
 * Fields in the job schema that the table lacks. BigQuery adds them only with ALLOW_FIELD_ADDITION (and only as
 * NULLABLE/REPEATED); a changed type is always an error.
 */
function schemaAdditions(table: readonly TableFieldSchema[], job: readonly TableFieldSchema[], updateOptions: readonly string[], fullName: string): TableFieldSchema[] {
  const existing = new Map(table.map((f) => [f.name.toLowerCase(), f]));
  const added: TableFieldSchema[] = [];
  for (const field of job) {
    const current = existing.get(field.name.toLowerCase());
    if (current === undefined) {
      if (!updateOptions.includes("ALLOW_FIELD_ADDITION")) throw new JobFailure(invalid(`Provided Schema does not match Table ${fullName}. Cannot add fields (field: ${field.name})`));
      if (field.mode === "REQUIRED") throw new JobFailure(invalid(`Provided Schema does not match Table ${fullName}. Cannot add required fields (field: ${field.name})`));
      added.push(field);
    } else if (duckTypeOf({ ...current, mode: current.mode === "REPEATED" ? "REPEATED" : "NULLABLE" }) !== duckTypeOf({ ...field, mode: field.mode === "REPEATED" ? "REPEATED" : "NULLABLE" })) {
      throw new JobFailure(invalid(`Provided Schema does not match Table ${fullName}. Field ${field.name} has changed type from ${current.type} to ${field.type}`));
    }
  }
  return added;
}
