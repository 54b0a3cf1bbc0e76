import { BigQueryError, invalidQuery, notFound } from "../errors.js";
import { asObject, asString, jsonBody, ok, param, type ApiRequest, type ApiResponse } from "../http/api.js";
import { dmlStats, jobReference } from "../jobs/job-resource.js";
import type { JobRecord } from "../jobs/job-record.js";
import { waitForJob } from "../jobs/job-store.js";
import { pageRows } from "../jobs/query-result.js";
import { startQueryJob } from "../jobs/start-job.js";
import type { EmulatorServices } from "../services.js";
import type { QueryParameter } from "../sql/params.js";
import { int64Timestamps, nextPageToken, pageOf, type Page } from "./paging.js";

const DEFAULT_TIMEOUT_MS = 10_000;

/** jobs.query: create a query job, wait for it (long-poll up to timeoutMs), answer with the first page. */
export async function query(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const body = jsonBody(request);
  const sql = asString(body["query"]);
  if (sql === undefined) throw new BigQueryError("invalid", "Required parameter is missing: query");
  if (body["useLegacySql"] === true) throw invalidQuery("Legacy SQL is not supported by the emulator; set useLegacySql: false");
  const requestId = asString(body["requestId"]);
  const log = { sql };
  // The client re-sends the same requestId when it retries: answer with the job created the first time.
  let job = requestId !== undefined ? services.jobs.forRequestId(requestId) : undefined;
  if (job === undefined) {
    const defaultDataset = asString(asObject(body["defaultDataset"])?.["datasetId"]);
    const queryConfig: Record<string, unknown> = { query: sql, useLegacySql: false };
    for (const k of ["parameterMode", "queryParameters", "defaultDataset", "labels"]) if (body[k] !== undefined) queryConfig[k] = body[k];
    job = startQueryJob(services, {
      sql,
      configuration: { query: queryConfig, ...(body["dryRun"] === true ? { dryRun: true } : {}) },
      ...(requestId !== undefined ? { requestId } : {}),
      ...(asString(body["parameterMode"]) !== undefined ? { parameterMode: asString(body["parameterMode"]) as string } : {}),
      ...(Array.isArray(body["queryParameters"]) ? { queryParameters: body["queryParameters"] as QueryParameter[] } : {}),
      ...(defaultDataset !== undefined ? { defaultDataset } : {}),
      ...(body["dryRun"] === true ? { dryRun: true } : {}),
      ...(body["maximumBytesBilled"] !== undefined ? { maximumBytesBilled: Number(body["maximumBytesBilled"]) } : {}),
      path: request.path,
    });
  }
  const timeout = Math.min(Number(body["timeoutMs"] ?? DEFAULT_TIMEOUT_MS), services.settings.maxWaitMs);
  const done = await waitForJob(job, timeout);
  const maxResults = body["maxResults"] !== undefined ? Number(body["maxResults"]) : undefined;
  const page = pageOf({ ...request, query: new URLSearchParams() }, services.settings.defaultPageSize, maxResults);
  const int64 = asObject(body["formatOptions"])?.["useInt64Timestamp"] === true;
  return ok(queryResponse(job, done, page, int64, "bigquery#queryResponse"), { ...log, jobId: job.jobId });
}

/** jobs.getQueryResults: long-poll until the job is done, then one page of rows. */
export async function getQueryResults(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const jobId = param(request, "job");
  const job = services.jobs.get(jobId);
  if (job === undefined || job.type !== "query") throw notFound(`Job ${services.projectId}:${services.location}.${jobId}`);
  const timeout = Math.min(Number(request.query.get("timeoutMs") ?? DEFAULT_TIMEOUT_MS), services.settings.maxWaitMs);
  const done = await waitForJob(job, timeout);
  const page = pageOf(request, services.settings.defaultPageSize);
  return ok(queryResponse(job, done, page, int64Timestamps(request), "bigquery#getQueryResultsResponse"), { jobId });
}

function queryResponse(job: JobRecord, done: boolean, page: Page, int64Timestamp: boolean, kind: string): Record<string, unknown> {
  const base = { kind, etag: "emulator", jobReference: jobReference(job) };
  if (!done) return { ...base, jobComplete: false };
  if (job.failure !== undefined) throw job.failure.error;
  const outcome = job.outcome;
  if (outcome === undefined) return { ...base, jobComplete: false };
  const total = outcome.result.values.length;
  const token = nextPageToken(page, total);
  const response: Record<string, unknown> = {
    ...base,
    jobComplete: true,
    schema: { fields: outcome.result.schema },
    rows: pageRows(outcome.result, page.start, page.size, { int64Timestamp }),
    totalRows: String(total),
    totalBytesProcessed: String(outcome.bytes.processed),
    cacheHit: false,
    ...(token !== undefined ? { pageToken: token } : {}),
  };
  if (outcome.dml !== undefined) {
    response["numDmlAffectedRows"] = String(outcome.dml.inserted + outcome.dml.updated + outcome.dml.deleted);
    response["dmlStats"] = dmlStats(outcome.dml);
  }
  return response;
}
