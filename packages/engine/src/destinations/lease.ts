import { recordedProcessIsAlive } from "../process-is-alive.js";

/** The lease row kept in `_kaivo_state` while a run writes to a connection. */
export interface LeaseRecord {
  runId: string;
  holder: string;
  host: string;
  pid: number;
  /** PROCESS_STARTED_MS of the process that took it (absent in leases of earlier versions). */
  processStartedMs?: number;
  /** When the run first took it (absent in leases of earlier versions): of two taken together, the earlier stands. */
  acquiredAt?: string;
  expiresAt: string;
}

/**
 * Whether a lease still stops another run: it has not expired, and, when it was taken on this
 * machine, its process still exists (a run killed with SIGKILL leaves its lease behind; so does a
 * container's first process, whose restarted successor has the same pid 1).
 */
export function leaseIsLive(lease: LeaseRecord, now: Date, thisHost: string): boolean {
  if (new Date(lease.expiresAt).getTime() <= now.getTime()) return false;
  return lease.host !== thisHost || recordedProcessIsAlive(lease.pid, lease.processStartedMs);
}
