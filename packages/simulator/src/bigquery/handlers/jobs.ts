import { BigQueryError, duplicate, invalid, invalidQuery, notFound } from "../errors.js";
import { asObject, asString, jsonBody, ok, param, type ApiRequest, type ApiResponse } from "../http/api.js";
import { jobResource } from "../jobs/job-resource.js";
import type { JobRecord } from "../jobs/job-record.js";
import { waitForJob } from "../jobs/job-store.js";
import { newJobId, startLoadJob, startQueryJob } from "../jobs/start-job.js";
import type { LoadConfiguration } from "../load/run-load.js";
import type { EmulatorServices } from "../services.js";
import type { QueryParameter } from "../sql/params.js";

/** How long jobs.insert waits for a quick job before answering (the client polls anyway). */
const INSERT_WAIT_MS = 50;

function jobIdFrom(body: Record<string, unknown>): string {
  const jobId = asString(asObject(body["jobReference"])?.["jobId"]);
  if (jobId !== undefined && !/^[A-Za-z0-9_-]{1,1024}$/.test(jobId)) throw invalid(`Invalid job ID "${jobId}"`);
  return jobId ?? newJobId();
}

export function assertNewJob(services: EmulatorServices, jobId: string): void {
  if (services.jobs.get(jobId) !== undefined) throw duplicate(`Job ${services.projectId}:${services.location}.${jobId}`);
}

/** jobs.insert (JSON): query jobs; load jobs need the media upload (sourceUris are not emulated). */
export async function insertJob(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const body = jsonBody(request);
  const configuration = asObject(body["configuration"]) ?? {};
  const jobId = jobIdFrom(body);
  assertNewJob(services, jobId);
  const queryConfig = asObject(configuration["query"]);
  const loadConfig = asObject(configuration["load"]);
  let job: JobRecord;
  if (queryConfig !== undefined) {
    const sql = asString(queryConfig["query"]);
    if (sql === undefined) throw invalid("Required parameter is missing: configuration.query.query");
    if (queryConfig["useLegacySql"] === true) throw invalidQuery("Legacy SQL is not supported by the emulator; set useLegacySql: false");
    if (queryConfig["destinationTable"] !== undefined) throw new BigQueryError("notImplemented", "configuration.query.destinationTable is not supported by the emulator; use CREATE TABLE ... AS SELECT or INSERT ... SELECT");
    const defaultDataset = asString(asObject(queryConfig["defaultDataset"])?.["datasetId"]);
    const dryRun = configuration["dryRun"] === true;
    job = startQueryJob(services, {
      jobId,
      sql,
      configuration,
      ...(asString(queryConfig["parameterMode"]) !== undefined ? { parameterMode: asString(queryConfig["parameterMode"]) as string } : {}),
      ...(Array.isArray(queryConfig["queryParameters"]) ? { queryParameters: queryConfig["queryParameters"] as QueryParameter[] } : {}),
      ...(defaultDataset !== undefined ? { defaultDataset } : {}),
      ...(dryRun ? { dryRun } : {}),
      ...(queryConfig["maximumBytesBilled"] !== undefined ? { maximumBytesBilled: Number(queryConfig["maximumBytesBilled"]) } : {}),
      path: request.path,
    });
    await waitForJob(job, dryRun ? services.settings.maxWaitMs : INSERT_WAIT_MS);
    return ok(jobResource(job, services.baseUrl), { sql, jobId });
  }
  if (loadConfig !== undefined) {
    job = startLoadJob(services, { jobId, configuration, load: loadConfig as LoadConfiguration, data: Buffer.alloc(0), path: request.path });
    await waitForJob(job, INSERT_WAIT_MS);
    return ok(jobResource(job, services.baseUrl), { jobId });
  }
  const kind = Object.keys(configuration).find((k) => ["copy", "extract"].includes(k)) ?? "unknown";
  throw new BigQueryError("notImplemented", `${kind} jobs are not supported by the emulator`);
}

export async function getJob(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const jobId = param(request, "job");
  const job = services.jobs.get(jobId);
  if (job === undefined) throw notFound(`Job ${services.projectId}:${services.location}.${jobId}`);
  return ok(jobResource(job, services.baseUrl), { jobId });
}

/** jobs.cancel: jobs run to completion quickly here, so this only reports the job. */
export async function cancelJob(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const jobId = param(request, "job");
  const job = services.jobs.get(jobId);
  if (job === undefined) throw notFound(`Job ${services.projectId}:${services.location}.${jobId}`);
  return ok({ kind: "bigquery#jobCancelResponse", job: jobResource(job, services.baseUrl) }, { jobId });
}

/** jobs.list, newest first; `parentJobId` lists a script's child jobs. */
export async function listJobs(services: EmulatorServices, request: ApiRequest): Promise<ApiResponse> {
  const parent = request.query.get("parentJobId");
  const jobs = services.jobs
    .all()
    .filter((j) => (parent === null ? j.parentJobId === undefined : j.parentJobId === parent))
    .reverse()
    .map((job) => {
      const r = jobResource(job, services.baseUrl);
      return { ...r, state: job.state, ...(job.failure !== undefined ? { errorResult: job.failure.error.toProto() } : {}) };
    });
  return ok({ kind: "bigquery#jobList", etag: "emulator", jobs });
}
