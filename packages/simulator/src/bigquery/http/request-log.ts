import type { FaultKind } from "../faults/fault-control.js";

/** One HTTP call the emulator answered. */
export interface LoggedRequest {
  readonly method: string;
  /** URL path without the query string, e.g. /bigquery/v2/projects/p/queries. */
  readonly path: string;
  readonly status: number;
  /** Date.now() when the request arrived. */
  readonly at: number;
  /** The query string, including "?" (or ""). */
  readonly search: string;
  /** REST method name, e.g. "jobs.query", "tabledata.insertAll", "jobs.insert (upload)"; "unknown" if unrouted. */
  readonly operation: string;
  /** GoogleSQL of a jobs.query / query jobs.insert. */
  readonly sql?: string;
  readonly jobId?: string;
  /** Set when an injected fault answered the request. */
  readonly fault?: FaultKind;
}
