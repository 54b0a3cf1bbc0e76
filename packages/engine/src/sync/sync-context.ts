import type { Destination } from "../destinations/destination.js";
import type { SyncEventListener } from "../events/sync-events.js";
import type { GraphClient } from "../graph/index.js";
import type { ConnectionValues } from "../plan/first-request.js";

/** What every table run of one `kaivo run` shares. */
export interface SyncContext {
  graph: GraphClient;
  destination: Destination;
  connection: ConnectionValues;
  runId: string;
  /** The run's timestamp, written to _kaivo_synced_at of every row it touches. */
  syncedAt: string;
  /** Folder for staged NDJSON files; removed after the run. */
  workDir: string;
  /** Ignore stored delta links, cursors and checkpoints. */
  fullRefresh: boolean;
  /** Tables the warehouse did not have before this run: their stored state is ignored. */
  createdTables: ReadonlySet<string>;
  /** Rows per table held in memory before they are committed (merge) or spilled to a file (replace). */
  batchRows: number;
  now: () => Date;
  onEvent: SyncEventListener;
  /** Aborted when the run is asked to stop: each table commits what it fetched and stops (SyncInterruptedError). */
  signal: AbortSignal;
}
