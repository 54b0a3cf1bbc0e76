import type { BigQueryFaultControl } from "./faults/fault-control.js";
import type { LoggedRequest } from "./http/request-log.js";

export interface BigQueryEmulatorOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  readonly port?: number;
  /** Default "kaivo-emulator". */
  readonly projectId?: string;
  /** Default "US". */
  readonly location?: string;
  /** DuckDB database file; default in-memory. */
  readonly databaseFile?: string;
  /** Rows per result page when a request sets no maxResults (default 10,000). */
  readonly defaultPageSize?: number;
  /**
   * Modelled storage block size of clustered tables, used for the MERGE block-pruning estimate
   * (default 64 MiB; an assumption — BigQuery does not publish its block size).
   */
  readonly clusterBlockBytes?: number;
  /** Longest a jobs.query / getQueryResults call holds the request for an unfinished job (default 10 s). */
  readonly maxWaitMs?: number;
  /** Random source for fault `rate` (default Math.random). */
  readonly random?: () => number;
}

/** One job the emulator ran, with the statistics tests and cost reports read. */
export interface EmulatedJobSummary {
  readonly id: string;
  readonly type: "load" | "query";
  readonly state: "PENDING" | "RUNNING" | "DONE";
  /** SELECT, INSERT, MERGE, CREATE_TABLE, ..., SCRIPT for multi-statement queries. */
  readonly statementType?: string;
  readonly sql?: string;
  /** Load jobs: `dataset.table`. */
  readonly destinationTable?: string;
  /** Load jobs: rows written. */
  readonly rowsLoaded?: number;
  /** Load jobs: bytes of the uploaded file. */
  readonly bytesLoaded?: number;
  /** DML rows affected (for a script, summed over its statements). */
  readonly dmlAffectedRows?: number;
  readonly dml?: { readonly inserted: number; readonly updated: number; readonly deleted: number };
  /** Estimated q + t bytes (see cost/estimate-bytes.ts). */
  readonly totalBytesProcessed: number;
  /** The same with on-demand billing rules: ≥ 10 MB per referenced table, whole MB. */
  readonly totalBytesBilled: number;
  /** Per referenced table: bytes read and, for a MERGE into a clustered table, the scanned block share. */
  readonly tableReads: readonly { readonly table: string; readonly bytes: number; readonly scannedFraction?: number }[];
  /** Script child jobs: the parent's id. */
  readonly parentJobId?: string;
  readonly error?: { readonly reason: string; readonly message: string };
  readonly createdAt: number;
}

export interface BigQueryEmulator {
  /** http://127.0.0.1:PORT — pass as `apiEndpoint` to `new BigQuery(...)`. */
  readonly apiEndpoint: string;
  readonly projectId: string;
  readonly location: string;
  /** Every HTTP call answered, in order (live view). */
  readonly requests: ReadonlyArray<LoggedRequest>;
  readonly faults: BigQueryFaultControl;
  /** Jobs in creation order (script child jobs included, marked with parentJobId). */
  jobs(): ReadonlyArray<EmulatedJobSummary>;
  /** Run GoogleSQL directly (same translation and execution as jobs.query); rows as JSON-friendly objects. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Forget the request log (jobs and data stay). */
  clearRequests(): void;
  close(): Promise<void>;
}
