import type { LoadOutcome } from "../load/run-load.js";
import type { JobFailure } from "./job-failure.js";
import type { DmlStats, ScriptOutcome, StatementOutcome } from "./run-script.js";

export type JobState = "PENDING" | "RUNNING" | "DONE";

/** One emulated job (load, query, or a script's child statement). */
export interface JobRecord {
  readonly jobId: string;
  readonly projectId: string;
  readonly location: string;
  readonly type: "load" | "query";
  readonly configuration: Record<string, unknown>;
  readonly creationTime: number;
  state: JobState;
  startTime?: number;
  endTime?: number;
  failure?: JobFailure;
  /** GoogleSQL of a query job. */
  readonly sql?: string;
  readonly dryRun?: boolean;
  outcome?: ScriptOutcome;
  /** For a script's child job: the statement it ran. */
  child?: StatementOutcome;
  load?: LoadOutcome;
  readonly parentJobId?: string;
  /** jobs.query requestId (the client re-sends it on retries). */
  readonly requestId?: string;
  /** Settles when the job is DONE (never rejects). */
  done: Promise<void>;
}

export function totalDml(job: JobRecord): DmlStats | undefined {
  if (job.child !== undefined) return job.child.dml;
  if (job.outcome === undefined) return undefined;
  const all = job.outcome.statements.map((s) => s.dml).filter((d): d is DmlStats => d !== undefined);
  if (all.length === 0) return undefined;
  return {
    inserted: all.reduce((a, d) => a + d.inserted, 0),
    updated: all.reduce((a, d) => a + d.updated, 0),
    deleted: all.reduce((a, d) => a + d.deleted, 0),
  };
}
