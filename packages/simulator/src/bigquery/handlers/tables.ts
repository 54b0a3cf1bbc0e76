import type { DuckDBConnection } from "@duckdb/node-api";
import { tableKind, tableSchema, tableSql, tableStats, type TableMeta } from "../catalog/catalog.js";
import { tableEtag, tableListEntry, tableResource } from "../catalog/resources.js";
import { BigQueryError, duplicate, invalid, invalidQuery, notFound } from "../errors.js";
import { asObject, asString, jsonBody, NO_CONTENT, ok, param, type ApiRequest, type ApiResponse } from "../http/api.js";
import { columnDefinitions, normalizeFields, SchemaError, type TableFieldSchema } from "../schema/field-schema.js";
import type { EmulatorServices } from "../services.js";
import { translateScript } from "../sql/translate-statement.js";
import { SqlTranslationError } from "../sql/translation-error.js";
import { missingDataset } from "./datasets.js";
import { collectDescriptions, schemaChanges } from "./schema-evolution.js";

/** Table resource fields the server owns or handles itself; the rest (labels, description, ...) is stored. */
const SERVER_FIELDS = new Set([
  "kind", "etag", "id", "selfLink", "tableReference", "schema", "numBytes", "numLongTermBytes", "numRows", "creationTime",
  "lastModifiedTime", "type", "location", "clustering", "timePartitioning", "expirationTime", "view",
]);

function fullName(services: EmulatorServices, datasetId: string, tableId: string): string {
  return `${services.projectId}:${datasetId}.${tableId}`;
}

function parseSchema(body: Record<string, unknown>): TableFieldSchema[] | undefined {
  const fields = asObject(body["schema"])?.["fields"];
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields)) throw invalid("schema.fields must be an array");
  try {
    return normalizeFields(fields as TableFieldSchema[]);
  } catch (error) {
    throw invalid(error instanceof SchemaError ? error.message : String(error));
  }
}

function applyResourceFields(meta: TableMeta, body: Record<string, unknown>, fields: readonly TableFieldSchema[], replace: boolean): void {
  if (replace) meta.extra = {};
  for (const [k, v] of Object.entries(body)) {
    if (SERVER_FIELDS.has(k)) continue;
    if (k === "labels" && v !== null && !replace) {
      const labels: Record<string, unknown> = { ...(asObject(meta.extra["labels"]) ?? {}) };
      for (const [lk, lv] of Object.entries(asObject(v) ?? {})) {
        if (lv === null) delete labels[lk];
        else labels[lk] = lv;
      }
      meta.extra["labels"] = labels;
    } else if (v === null) delete meta.extra[k];
    else meta.extra[k] = v;
  }
  if ("expirationTime" in body) {
    const expiration = body["expirationTime"];
    if (expiration === null || expiration === undefined) delete meta.expirationTime;
    else meta.expirationTime = String(expiration);
  }
  const clustering = asObject(body["clustering"]);
  if (clustering !== undefined) {
    const names = (Array.isArray(clustering["fields"]) ? clustering["fields"] : []).map(String);
    const top = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
    for (const name of names) {
      const field = top.get(name.toLowerCase());
      if (field === undefined || field.mode === "REPEATED" || field.type === "RECORD" || field.type === "JSON") {
        throw invalid(`The field specified for clustering cannot be found in the schema or is not a top-level, non-repeated field of a supported type: ${name}`);
      }
    }
    if (names.length > 4) throw invalid("Too many fields in clustering (at most 4)");
    meta.clustering = { fields: names };
  } else if (body["clustering"] === null) {
    delete meta.clustering;
  }
  const partitioning = asObject(body["timePartitioning"]);
  if (partitioning !== undefined) {
    const field = asString(partitioning["field"]);
    if (field !== undefined && !fields.some((f) => f.name.toLowerCase() === field.toLowerCase() && ["TIMESTAMP", "DATE", "DATETIME"].includes(f.type))) {
      throw invalid(`The field specified for time partitioning can only be of type TIMESTAMP, DATE or DATETIME. The type found is: ${field}`);
    }
    meta.timePartitioning = { type: "DAY", ...partitioning };
  }
  meta.descriptions = { ...meta.descriptions, ...collectDescriptions(fields) };
}

async function resource(services: EmulatorServices, connection: DuckDBConnection, datasetId: string, tableId: string): Promise<Record<string, unknown>> {
  const type = await tableKind(connection, datasetId, tableId);
  if (type === undefined) throw notFound(`Table ${fullName(services, datasetId, tableId)}`);
  const meta = services.catalog.ensureTable(datasetId, tableId);
  const schema = await tableSchema(connection, datasetId, tableId, meta);
  const stats = type === "TABLE" ? await tableStats(connection, datasetId, tableId) : undefined;
  const viewQuery = asString(meta.extra["viewQuery"]);
  const r = tableResource({ meta, type, schema, ...(stats !== undefined ? { stats } : {}), ...(viewQuery !== undefined ? { viewQuery } : {}) }, services.projectId, services.location, services.baseUrl);
  delete r["viewQuery"];
  return r;
}

export async function insertTable(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  const body = jsonBody(request);
  const reference = asObject(body["tableReference"]);
  const tableId = asString(reference?.["tableId"]);
  if (tableId === undefined || !/^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]{1,1024}$/u.test(tableId)) throw invalid(`Invalid table ID "${tableId ?? ""}".`);
  const fields = parseSchema(body) ?? [];
  const view = asObject(body["view"]);
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) === undefined) throw missingDataset(services, datasetId);
    if ((await tableKind(connection, datasetId, tableId)) !== undefined) throw duplicate(`Table ${fullName(services, datasetId, tableId)}`);
    const sql = tableSql(datasetId, tableId);
    if (view !== undefined) {
      const query = asString(view["query"]) ?? "";
      if (view["useLegacySql"] === true) throw invalidQuery("Legacy SQL views are not supported by the emulator");
      let translated: string;
      try {
        const statements = translateScript(query, { projectId: services.projectId });
        if (statements.length !== 1 || statements[0]?.kind !== "SELECT") throw invalidQuery("A view query must be a single SELECT");
        translated = statements[0].sql[0] ?? "";
      } catch (error) {
        if (error instanceof SqlTranslationError) throw invalidQuery(error.message);
        throw error;
      }
      await connection.run(`CREATE VIEW ${sql} AS ${translated}`);
    } else {
      if (fields.length === 0) throw invalid(`Table ${fullName(services, datasetId, tableId)} needs a schema: the emulator cannot create tables without columns`);
      await connection.run(`CREATE TABLE ${sql} (${columnDefinitions(fields)})`);
    }
    const meta = services.catalog.resetTable(datasetId, tableId);
    try {
      applyResourceFields(meta, body, fields, false);
    } catch (error) {
      await connection.run(`DROP ${view !== undefined ? "VIEW" : "TABLE"} ${sql}`);
      services.catalog.forgetTable(datasetId, tableId);
      throw error;
    }
    if (view !== undefined) meta.extra["viewQuery"] = asString(view["query"]) ?? "";
    return ok(await resource(services, connection, datasetId, tableId));
  });
}

export async function getTable(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  const tableId = param(request, "table");
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) === undefined) throw missingDataset(services, datasetId);
    return ok(await resource(services, connection, datasetId, tableId));
  });
}

export async function listTables(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) === undefined) throw missingDataset(services, datasetId);
    const tables = [];
    for (const meta of services.catalog.tablesIn(datasetId)) {
      const type = (await tableKind(connection, datasetId, meta.tableId)) ?? "TABLE";
      tables.push(tableListEntry(meta, type, services.projectId));
    }
    return ok({ kind: "bigquery#tableList", etag: "emulator", tables, totalItems: tables.length });
  });
}

/** tables.patch (PATCH) and tables.update (PUT): additive schema changes plus metadata. */
export async function patchTable(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  const tableId = param(request, "table");
  const body = jsonBody(request);
  const nextFields = parseSchema(body);
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) === undefined) throw missingDataset(services, datasetId);
    const type = await tableKind(connection, datasetId, tableId);
    if (type === undefined) throw notFound(`Table ${fullName(services, datasetId, tableId)}`);
    const meta = services.catalog.ensureTable(datasetId, tableId);
    const ifMatch = request.headers["if-match"];
    if (typeof ifMatch === "string" && ifMatch !== "*" && ifMatch.replace(/"/g, "") !== tableEtag(meta)) {
      throw new BigQueryError("conditionNotMet", "Precondition check failed.");
    }
    const current = await tableSchema(connection, datasetId, tableId, meta);
    const sql = tableSql(datasetId, tableId);
    const statements = nextFields !== undefined && type === "TABLE" ? schemaChanges(current, nextFields, sql, fullName(services, datasetId, tableId)) : [];
    await connection.run("BEGIN TRANSACTION");
    try {
      for (const statement of statements) await connection.run(statement);
      await connection.run("COMMIT");
    } catch (error) {
      await connection.run("ROLLBACK");
      throw invalid(error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error));
    }
    applyResourceFields(meta, body, nextFields ?? current, request.method === "PUT");
    services.catalog.touch(datasetId, tableId);
    return ok(await resource(services, connection, datasetId, tableId));
  });
}

export async function deleteTable(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  const tableId = param(request, "table");
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) === undefined) throw missingDataset(services, datasetId);
    const type = await tableKind(connection, datasetId, tableId);
    if (type === undefined) throw notFound(`Table ${fullName(services, datasetId, tableId)}`);
    await connection.run(`DROP ${type} ${tableSql(datasetId, tableId)}`);
    services.catalog.forgetTable(datasetId, tableId);
    return NO_CONTENT;
  });
}
