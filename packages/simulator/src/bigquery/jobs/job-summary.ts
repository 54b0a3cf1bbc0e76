import type { EmulatedJobSummary } from "../types.js";
import { totalDml, type JobRecord } from "./job-record.js";

export function jobSummary(job: JobRecord): EmulatedJobSummary {
  const dml = totalDml(job);
  const bytes = job.child?.bytes ?? job.outcome?.bytes;
  const statementType = job.child?.statement.kind ?? job.outcome?.statementType;
  const destination = job.type === "load" ? (job.configuration["load"] as { destinationTable?: { datasetId?: string; tableId?: string } } | undefined)?.destinationTable : undefined;
  return {
    id: job.jobId,
    type: job.type,
    state: job.state,
    createdAt: job.creationTime,
    ...(statementType !== undefined ? { statementType } : {}),
    ...(job.sql !== undefined ? { sql: job.sql } : {}),
    ...(destination !== undefined ? { destinationTable: `${destination.datasetId ?? ""}.${destination.tableId ?? ""}` } : {}),
    ...(job.load !== undefined ? { rowsLoaded: job.load.outputRows, bytesLoaded: job.load.inputFileBytes } : {}),
    ...(dml !== undefined ? { dml, dmlAffectedRows: dml.inserted + dml.updated + dml.deleted } : {}),
    totalBytesProcessed: bytes?.processed ?? 0,
    totalBytesBilled: bytes?.billed ?? 0,
    tableReads: bytes?.reads ?? [],
    ...(job.parentJobId !== undefined ? { parentJobId: job.parentJobId } : {}),
    ...(job.failure !== undefined ? { error: { reason: job.failure.error.reason, message: job.failure.error.message } } : {}),
  };
}
