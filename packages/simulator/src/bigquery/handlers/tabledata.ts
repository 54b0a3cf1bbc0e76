import { tableSchema, tableSql, tableKind } from "../catalog/catalog.js";
import { BigQueryError, invalid, notFound } from "../errors.js";
import { asObject, jsonBody, ok, param, type ApiRequest, type ApiResponse } from "../http/api.js";
import { pageRows, toQueryResult } from "../jobs/query-result.js";
import { insertRows } from "../load/insert-rows.js";
import { normalizeRow, RowError } from "../load/normalize-row.js";
import type { EmulatorServices } from "../services.js";
import { missingDataset } from "./datasets.js";
import { int64Timestamps, nextPageToken, pageOf } from "./paging.js";

/** tabledata.list: the table's rows in storage order, f/v formatted. */
export async function listTableData(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  const tableId = param(request, "table");
  const page = pageOf(request, services.settings.defaultPageSize);
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) === undefined) throw missingDataset(services, datasetId);
    if ((await tableKind(connection, datasetId, tableId)) !== "TABLE") throw notFound(`Table ${services.projectId}:${datasetId}.${tableId}`);
    const sql = tableSql(datasetId, tableId);
    const count = await connection.runAndReadAll(`SELECT CAST(count(*) AS BIGINT) FROM ${sql}`);
    const total = Number(count.getRowsJson()[0]?.[0] ?? 0);
    const reader = await connection.runAndReadAll(`SELECT * FROM ${sql} ORDER BY rowid LIMIT ${page.size} OFFSET ${page.start}`);
    const result = toQueryResult(reader);
    const token = nextPageToken(page, total);
    return ok({
      kind: "bigquery#tableDataList",
      etag: "emulator",
      totalRows: String(total),
      rows: pageRows(result, 0, page.size, { int64Timestamp: int64Timestamps(request) }),
      ...(token !== undefined ? { pageToken: token } : {}),
    });
  });
}

/**
 * tabledata.insertAll (legacy streaming). Served so the client works, and logged like every call so tests can
 * assert it is never used. Invalid rows fail the whole request (other rows "stopped") unless skipInvalidRows.
 */
export async function insertAll(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const datasetId = param(request, "dataset");
  const tableId = param(request, "table");
  const body = jsonBody(request);
  if (body["templateSuffix"] !== undefined) throw new BigQueryError("notImplemented", "templateSuffix is not supported by the emulator");
  const rows = Array.isArray(body["rows"]) ? (body["rows"] as unknown[]) : undefined;
  if (rows === undefined) throw invalid("No rows present in the request.");
  const skipInvalid = body["skipInvalidRows"] === true;
  const ignoreUnknownValues = body["ignoreUnknownValues"] === true;
  return services.db.exclusive(async (connection) => {
    await services.catalog.sync(connection);
    if (services.catalog.dataset(datasetId) === undefined) throw missingDataset(services, datasetId);
    if ((await tableKind(connection, datasetId, tableId)) !== "TABLE") throw notFound(`Table ${services.projectId}:${datasetId}.${tableId}`);
    const fields = await tableSchema(connection, datasetId, tableId);
    const good: Record<string, unknown>[] = [];
    const insertErrors: { index: number; errors: { reason: string; location: string; debugInfo: string; message: string }[] }[] = [];
    rows.forEach((row, index) => {
      try {
        good.push(normalizeRow(asObject(row)?.["json"], fields, { ignoreUnknownValues }));
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        insertErrors.push({ index, errors: [{ reason: "invalid", location: "", debugInfo: "", message: error.message }] });
      }
    });
    if (insertErrors.length > 0 && !skipInvalid) {
      const failed = new Set(insertErrors.map((e) => e.index));
      rows.forEach((_row, index) => {
        if (!failed.has(index)) insertErrors.push({ index, errors: [{ reason: "stopped", location: "", debugInfo: "", message: "" }] });
      });
      return ok({ kind: "bigquery#tableDataInsertAllResponse", insertErrors });
    }
    await insertRows(connection, tableSql(datasetId, tableId), fields, good);
    services.catalog.touch(datasetId, tableId);
    return ok({ kind: "bigquery#tableDataInsertAllResponse", ...(insertErrors.length > 0 ? { insertErrors } : {}) });
  });
}
