import { randomUUID } from "node:crypto";
import { invalidQuery } from "../errors.js";
import { runLoad, type LoadConfiguration } from "../load/run-load.js";
import type { EmulatorServices } from "../services.js";
import { parameterResolver, type QueryParameter } from "../sql/params.js";
import type { TranslatedStatement } from "../sql/statement.js";
import { translateScript } from "../sql/translate-statement.js";
import { SqlTranslationError } from "../sql/translation-error.js";
import { JobFailure } from "./job-failure.js";
import type { JobRecord } from "./job-record.js";
import { runScript } from "./run-script.js";

export interface QueryJobRequest {
  readonly jobId?: string;
  readonly sql: string;
  readonly configuration: Record<string, unknown>;
  readonly requestId?: string;
  readonly parameterMode?: string;
  readonly queryParameters?: readonly QueryParameter[];
  readonly defaultDataset?: string;
  readonly dryRun?: boolean;
  readonly maximumBytesBilled?: number;
  /** Request path, for fault matching. */
  readonly path: string;
}

const DML = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);
/** GoogleSQL's limit on a query's text, comments and white space included (quotas: "Maximum query length"). */
export const MAX_QUERY_CHARS = 1024 * 1024;

export function newJobId(prefix = "job"): string {
  return `${prefix}_${randomUUID().replace(/-/g, "")}`;
}

/** Create a query job and start running it (serialised with every other DuckDB use). */
export function startQueryJob(services: EmulatorServices, request: QueryJobRequest): JobRecord {
  const now = services.settings.now;
  let statements: TranslatedStatement[] | undefined;
  let failure: JobFailure | undefined;
  if (request.sql.length > MAX_QUERY_CHARS) {
    failure = new JobFailure(invalidQuery("The query is too large. The maximum standard SQL query length is 1024.00K characters, including comments and white space characters."));
  } else {
    try {
      statements = translateScript(request.sql, {
        projectId: services.projectId,
        parameter: parameterResolver(request.parameterMode, request.queryParameters),
      });
    } catch (error) {
      if (!(error instanceof SqlTranslationError)) throw error;
      failure = new JobFailure(invalidQuery(error.message));
    }
  }
  const isDml = statements?.some((s) => DML.has(s.kind)) ?? false;
  const fault = failure === undefined && request.dryRun !== true ? services.faults.takeJobFault([request.path, request.sql], isDml) : undefined;
  if (fault !== undefined) failure = new JobFailure(fault.error);

  const job: JobRecord = {
    jobId: request.jobId ?? newJobId(),
    projectId: services.projectId,
    location: services.location,
    type: "query",
    configuration: request.configuration,
    creationTime: now(),
    state: "PENDING",
    sql: request.sql,
    ...(request.dryRun === true ? { dryRun: true } : {}),
    ...(request.requestId !== undefined ? { requestId: request.requestId } : {}),
    done: Promise.resolve(),
  };
  if (request.dryRun !== true) services.jobs.add(job);
  job.done = services.db.exclusive(async (connection) => {
    job.state = "RUNNING";
    job.startTime = now();
    if (failure !== undefined) throw failure;
    job.outcome = await runScript(connection, services.catalog, statements ?? [], {
      projectId: services.projectId,
      location: services.location,
      clusterBlockBytes: services.settings.clusterBlockBytes,
      ...(request.defaultDataset !== undefined ? { defaultDataset: request.defaultDataset } : {}),
      ...(request.dryRun === true ? { dryRun: true } : {}),
      ...(request.maximumBytesBilled !== undefined ? { maximumBytesBilled: request.maximumBytesBilled } : {}),
      now,
    });
  }).then(
    () => finish(services, job),
    (error: unknown) => {
      job.failure = JobFailure.from(error);
      finish(services, job);
    },
  );
  return job;
}

export interface LoadJobRequest {
  readonly jobId: string;
  readonly configuration: Record<string, unknown>;
  readonly load: LoadConfiguration;
  readonly data: Buffer;
  readonly path: string;
}

/** Create a load job and start running it. A jobFailure fault fails it before anything is written. */
export function startLoadJob(services: EmulatorServices, request: LoadJobRequest): JobRecord {
  const now = services.settings.now;
  const destination = request.load.destinationTable;
  const target = `${destination?.datasetId ?? ""}.${destination?.tableId ?? ""}`;
  const fault = services.faults.takeJobFault([request.path, target, `${services.projectId}:${target}`], false);
  const job: JobRecord = {
    jobId: request.jobId,
    projectId: services.projectId,
    location: services.location,
    type: "load",
    configuration: request.configuration,
    creationTime: now(),
    state: "PENDING",
    done: Promise.resolve(),
  };
  services.jobs.add(job);
  job.done = services.db.exclusive(async (connection) => {
    job.state = "RUNNING";
    job.startTime = now();
    if (fault !== undefined) throw new JobFailure(fault.error);
    job.load = await runLoad(connection, services.catalog, request.load, request.data);
  }).then(
    () => finish(services, job),
    (error: unknown) => {
      job.failure = JobFailure.from(error);
      finish(services, job);
    },
  );
  return job;
}

function finish(services: EmulatorServices, job: JobRecord): void {
  job.state = "DONE";
  job.endTime = services.settings.now();
  const outcome = job.outcome;
  if (outcome === undefined || outcome.statementType !== "SCRIPT") return;
  // A script's statements are child jobs (jobs.list?parentJobId=…), each with its own statistics.
  outcome.statements.forEach((statement, i) => {
    services.jobs.add({
      jobId: `script_job_${job.jobId}_${i}`,
      projectId: job.projectId,
      location: job.location,
      type: "query",
      configuration: { query: { query: statement.statement.source, useLegacySql: false } },
      creationTime: statement.startTime,
      startTime: statement.startTime,
      endTime: statement.endTime,
      state: "DONE",
      sql: statement.statement.source,
      child: statement,
      parentJobId: job.jobId,
      done: Promise.resolve(),
    });
  });
}
