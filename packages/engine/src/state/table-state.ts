/** Where an unfinished round stopped, so a rerun resumes instead of starting over. */
export interface RoundCheckpoint {
  /** The nextLink to request next (delta and cursor rounds), verbatim from Graph. */
  nextLink: string;
  /** Partition index of a partitioned source (0 otherwise). */
  partition: number;
  /** When the round began; an initial round marks rows not seen since then as vanished. */
  roundStartedAt: string;
  /** Whether the round is an initial (full) round of a delta table. */
  initial: boolean;
  /** A list-based initial round (source.initialRound "list"): the deltaLink taken before it began, stored when it ends. */
  deltaLink?: string | undefined;
  /** Newest cursor value seen so far in this round (cursor tables). */
  maxCursorSeen?: string | null;
  /** Fingerprint of the plan the checkpoint belongs to; a different plan starts over. */
  fingerprint: string;
}

/** Statistics of the last finished run of a table. */
export interface LastRunStats {
  runId: string;
  finishedAt: string;
  inserted: number;
  updated: number;
  deleted: number;
  rejected: number;
  requests: number;
}

/** The last run that failed a table, until a later run finishes it. */
export interface LastFailure {
  runId: string;
  failedAt: string;
  /** The error's message (its first line). */
  message: string;
}

/** A delta table's objects whose latest record was rejected (see RejectedObjects). */
export interface RejectedObjectsState {
  /** Rejected, and unchanged since. */
  waiting: string[];
  /** Rejected, then changed: read again whole at the end of the round. */
  due: string[];
}

/** One row of `_kaivo_state`, committed in the same transaction as the data it describes. */
export interface TableState {
  /** The stored `@odata.deltaLink` (delta tables). */
  deltaLink?: string | null;
  /** Newest value of the cursor field loaded so far (cursor tables). */
  cursor?: string | null;
  checkpoint?: RoundCheckpoint | null;
  /** Plan fingerprint the deltaLink was obtained with. */
  fingerprint?: string;
  /** The key columns the table's rows were merged by; a declaration that changes them is refused (KeyChangedError). */
  key?: string[];
  /** Delta tables keyed by id: objects the warehouse lacks or holds out of date because their latest record was rejected. */
  rejectedObjects?: RejectedObjectsState | null;
  lastRun?: LastRunStats | null;
  lastFailure?: LastFailure | null;
}
