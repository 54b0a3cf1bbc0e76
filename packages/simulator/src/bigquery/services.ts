import type { Catalog } from "./catalog/catalog.js";
import type { Database } from "./engine/database.js";
import type { FaultRegistry } from "./faults/fault-control.js";
import type { JobStore } from "./jobs/job-store.js";

/** Everything a request handler needs. */
export interface EmulatorServices {
  readonly projectId: string;
  readonly location: string;
  readonly db: Database;
  readonly catalog: Catalog;
  readonly faults: FaultRegistry;
  readonly jobs: JobStore;
  /** http://127.0.0.1:PORT once listening. */
  baseUrl: string;
  readonly settings: EmulatorSettings;
}

export interface EmulatorSettings {
  /** Rows per result page when the request gives no maxResults. */
  readonly defaultPageSize: number;
  /** Modelled block size of clustered tables for the MERGE pruning estimate. */
  readonly clusterBlockBytes: number;
  /** Longest a jobs.query / getQueryResults call waits for a job before answering jobComplete:false. */
  readonly maxWaitMs: number;
  readonly now: () => number;
}
