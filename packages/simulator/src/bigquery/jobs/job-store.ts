import type { JobRecord } from "./job-record.js";

/** Every job the emulator has seen, in creation order. */
export class JobStore {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly byRequestId = new Map<string, JobRecord>();

  add(job: JobRecord): void {
    this.jobs.set(job.jobId, job);
    if (job.requestId !== undefined) this.byRequestId.set(job.requestId, job);
  }

  get(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  forRequestId(requestId: string): JobRecord | undefined {
    return this.byRequestId.get(requestId);
  }

  all(): JobRecord[] {
    return [...this.jobs.values()];
  }
}

/** Resolve when the job is done or after timeoutMs, whichever is first; true when done. */
export async function waitForJob(job: JobRecord, timeoutMs: number): Promise<boolean> {
  if (job.state === "DONE") return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, timeoutMs));
  });
  await Promise.race([job.done, timeout]);
  if (timer !== undefined) clearTimeout(timer);
  return isDone(job);
}

function isDone(job: JobRecord): boolean {
  return job.state === "DONE";
}
