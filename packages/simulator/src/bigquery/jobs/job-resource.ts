import type { TableRead } from "../cost/estimate-bytes.js";
import type { JobRecord } from "./job-record.js";

/** The REST Job resource (jobs.get, jobs.insert, jobs.list entries). */
export function jobResource(job: JobRecord, baseUrl: string): Record<string, unknown> {
  const status: Record<string, unknown> = { state: job.state };
  if (job.failure !== undefined) {
    status["errorResult"] = job.failure.error.toProto();
    status["errors"] = job.failure.errors;
  }
  return {
    kind: "bigquery#job",
    etag: `"${Buffer.from(`${job.jobId}:${job.state}`).toString("base64")}"`,
    id: `${job.projectId}:${job.location}.${job.jobId}`,
    selfLink: `${baseUrl}/bigquery/v2/projects/${job.projectId}/jobs/${job.jobId}?location=${job.location}`,
    user_email: "emulator@kaivo.invalid",
    configuration: { ...job.configuration, jobType: job.type === "load" ? "LOAD" : "QUERY" },
    jobReference: jobReference(job),
    statistics: jobStatistics(job),
    status,
  };
}

export function jobReference(job: JobRecord): Record<string, string> {
  return { projectId: job.projectId, jobId: job.jobId, location: job.location };
}

export function jobStatistics(job: JobRecord): Record<string, unknown> {
  const stats: Record<string, unknown> = { creationTime: String(job.creationTime) };
  if (job.startTime !== undefined) stats["startTime"] = String(job.startTime);
  if (job.endTime !== undefined) stats["endTime"] = String(job.endTime);
  if (job.parentJobId !== undefined) stats["parentJobId"] = job.parentJobId;
  if (job.type === "load" && job.load !== undefined) {
    stats["load"] = {
      inputFiles: "1",
      inputFileBytes: String(job.load.inputFileBytes),
      outputRows: String(job.load.outputRows),
      outputBytes: String(job.load.outputBytes),
      badRecords: String(job.load.badRecords),
    };
  }
  if (job.type === "query") {
    const query = queryStatistics(job);
    if (query !== undefined) {
      stats["query"] = query;
      stats["totalBytesProcessed"] = query["totalBytesProcessed"];
    }
    if (job.outcome !== undefined && job.outcome.statementType === "SCRIPT") stats["numChildJobs"] = String(job.outcome.statements.length);
  }
  return stats;
}

/** statistics.query for a query job or a script child. */
export function queryStatistics(job: JobRecord): Record<string, unknown> | undefined {
  const part = job.child ?? job.outcome;
  if (part === undefined) return undefined;
  const statementType = job.child !== undefined ? job.child.statement.kind : (job.outcome?.statementType ?? "SELECT");
  const dml = part.dml;
  const query: Record<string, unknown> = {
    totalBytesProcessed: String(part.bytes.processed),
    totalBytesBilled: String(job.dryRun === true ? 0 : part.bytes.billed),
    estimatedBytesProcessed: String(part.bytes.processed),
    totalBytesProcessedAccuracy: "PRECISE",
    billingTier: 1,
    cacheHit: false,
    statementType,
    referencedTables: referencedTables(part.bytes.reads, job.projectId),
  };
  if (dml !== undefined) {
    query["numDmlAffectedRows"] = String(dml.inserted + dml.updated + dml.deleted);
    query["dmlStats"] = dmlStats(dml);
  }
  return query;
}

export function dmlStats(dml: { inserted: number; updated: number; deleted: number }): Record<string, string> {
  return { insertedRowCount: String(dml.inserted), updatedRowCount: String(dml.updated), deletedRowCount: String(dml.deleted) };
}

function referencedTables(reads: readonly TableRead[], projectId: string): Record<string, string>[] {
  const seen = new Set<string>();
  return reads
    .filter((r) => !seen.has(r.table) && seen.add(r.table))
    .map((r) => {
      const dot = r.table.indexOf(".");
      return { projectId, datasetId: r.table.slice(0, dot), tableId: r.table.slice(dot + 1) };
    });
}
