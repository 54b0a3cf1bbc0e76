import { processIsAlive } from "../process-is-alive.js";

/** The lease row kept in `_kaivo_state` while a run writes to a connection. */
export interface LeaseRecord {
  runId: string;
  holder: string;
  host: string;
  pid: number;
  expiresAt: string;
}

/**
 * Whether a lease still stops another run: it has not expired, and, when it was taken on this
 * machine, its process still exists (a run killed with SIGKILL leaves its lease behind).
 */
export function leaseIsLive(lease: LeaseRecord, now: Date, thisHost: string): boolean {
  if (new Date(lease.expiresAt).getTime() <= now.getTime()) return false;
  if (lease.host === thisHost && lease.pid !== process.pid) return processIsAlive(lease.pid);
  return true;
}
