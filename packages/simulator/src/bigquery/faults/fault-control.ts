import { BigQueryError, type ErrorReason } from "../errors.js";

/**
 * Request faults answer the HTTP call with an error before it is handled (the client retries rateLimitExceeded,
 * backendError and internalError). Job faults let the job be created and then fail it: jobs.get reports
 * status.errorResult, jobs.query / getQueryResults answer with the error, and nothing is written.
 */
export type RequestFaultKind = "rateLimitExceeded" | "backendError" | "internalError" | "quotaExceeded";
export type JobFaultKind = "jobFailure" | "concurrentUpdate";
export type FaultKind = RequestFaultKind | JobFaultKind;

export interface FaultSpec {
  readonly kind: FaultKind;
  /** Tested against the request path, the job's SQL and a load job's destination `dataset.table`. Absent: every request. */
  readonly match?: RegExp;
  /** How many times the fault fires; default 1 (or unlimited when `rate` is given). */
  readonly count?: number;
  /** Probability (0..1) that a matching request is hit; default 1. */
  readonly rate?: number;
  /** Override the error reason (e.g. "jobRateLimitExceeded" for a job fault). */
  readonly reason?: ErrorReason;
  readonly message?: string;
}

export interface InjectedFault {
  readonly spec: FaultSpec;
  /** How many times it fired so far. */
  readonly fired: number;
  readonly remaining: number;
  cancel(): void;
}

export interface BigQueryFaultControl {
  inject(spec: FaultSpec): InjectedFault;
  /** Remove every injected fault. */
  clear(): void;
  readonly active: readonly InjectedFault[];
}

const REQUEST_KINDS: ReadonlySet<FaultKind> = new Set(["rateLimitExceeded", "backendError", "internalError", "quotaExceeded"]);

const DEFAULT_MESSAGES: Record<FaultKind, string> = {
  rateLimitExceeded: "Exceeded rate limits: too many table update operations for this table. (injected fault)",
  backendError: "Error encountered during execution. Retrying may solve the problem. (injected fault)",
  internalError: "An internal error occurred and the request could not be completed. (injected fault)",
  quotaExceeded: "Quota exceeded: Your table exceeded quota for imports or query appends per table. (injected fault)",
  jobFailure: "Error encountered during job execution. Retrying the job with a new job id may solve the problem. (injected fault)",
  concurrentUpdate: "Could not serialize access to table due to concurrent update (injected fault)",
};

export interface FiredFault {
  readonly kind: FaultKind;
  readonly error: BigQueryError;
}

class Fault implements InjectedFault {
  fired = 0;
  cancelled = false;
  constructor(
    readonly spec: FaultSpec,
    private readonly owner: FaultRegistry,
  ) {}
  get remaining(): number {
    if (this.cancelled) return 0;
    const limit = this.spec.count ?? (this.spec.rate !== undefined ? Number.POSITIVE_INFINITY : 1);
    return Math.max(0, limit - this.fired);
  }
  cancel(): void {
    this.cancelled = true;
    this.owner.remove(this);
  }
}

export class FaultRegistry implements BigQueryFaultControl {
  private faults: Fault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  inject(spec: FaultSpec): InjectedFault {
    const fault = new Fault(spec, this);
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  remove(fault: Fault): void {
    this.faults = this.faults.filter((f) => f !== fault);
  }

  get active(): readonly InjectedFault[] {
    return this.faults.filter((f) => f.remaining > 0);
  }

  /** A request-level fault for this request, if one fires. */
  takeRequestFault(subjects: readonly string[]): FiredFault | undefined {
    return this.take(subjects, (k) => REQUEST_KINDS.has(k));
  }

  /** A job-level fault for a job with these subjects (path, SQL, destination), if one fires. */
  takeJobFault(subjects: readonly string[], isDml: boolean): FiredFault | undefined {
    return this.take(subjects, (k) => k === "jobFailure" || (k === "concurrentUpdate" && isDml));
  }

  private take(subjects: readonly string[], accepts: (kind: FaultKind) => boolean): FiredFault | undefined {
    for (const fault of this.faults) {
      const { kind, match, rate } = fault.spec;
      if (!accepts(kind) || fault.remaining <= 0) continue;
      if (match !== undefined && !subjects.some((s) => testRegExp(match, s))) continue;
      if (rate !== undefined && this.random() >= rate) continue;
      fault.fired++;
      return { kind, error: new BigQueryError(fault.spec.reason ?? defaultReason(kind), fault.spec.message ?? DEFAULT_MESSAGES[kind]) };
    }
    return undefined;
  }
}

function defaultReason(kind: FaultKind): ErrorReason {
  if (kind === "jobFailure") return "jobBackendError";
  // BigQuery's reason for serialization conflicts is unconfirmed (bigquery.md §6); the HTTP status is 400.
  if (kind === "concurrentUpdate") return "invalidQuery";
  return kind;
}

function testRegExp(re: RegExp, text: string): boolean {
  re.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
  return re.test(text);
}
