import type { GraphEvent } from "../graph/index.js";

export interface TableCounts {
  inserted: number;
  updated: number;
  deleted: number;
  rejected: number;
}

/** One line of the run summary. */
export interface TableSummary extends TableCounts {
  table: string;
  /** interrupted: the run was asked to stop first; what the table committed stays, and the next run resumes it. */
  status: "succeeded" | "failed" | "interrupted";
  /** Graph requests made for this table (retries included); 0 for relations, counted on their parent. */
  requests: number;
  retries: number;
  seconds: number;
  error?: { code: string; message: string; hint?: string };
  /** What the run noticed about the table's data (see the table.warning event). */
  warnings?: string[];
}

export interface RunSummary {
  runId: string;
  destination: string;
  tables: TableSummary[];
  seconds: number;
  ok: boolean;
  /** The run was asked to read everything again (--full-refresh). */
  fullRefresh: boolean;
}

/** Everything the engine reports while it runs; per table and per page, never per record. */
export type SyncEvent =
  | { type: "run.started"; runId: string; tables: string[]; destination: string }
  /** `parent`: the table is a relation, filled from its parent's rounds. */
  | { type: "table.started"; table: string; mode: string; round: "initial" | "incremental" | "resumed" | "full"; parent?: string }
  | { type: "table.resync"; table: string; reason: string }
  /** The round in progress starts over from its first request (its page link had expired). */
  | { type: "table.restarted"; table: string; reason: string }
  /** Objects whose earlier record was rejected, changed since, are read again whole (RejectedObjects). */
  | { type: "table.reread"; table: string; objects: number }
  /** Something about the table's data its user should know; the run goes on. */
  | { type: "table.warning"; table: string; message: string }
  | { type: "page.fetched"; table: string; pages: number; records: number; requests: number }
  | { type: "table.committed"; table: string; counts: TableCounts; checkpoint: boolean }
  | { type: "table.finished"; summary: TableSummary }
  | { type: "run.finished"; summary: RunSummary }
  /** A warehouse call (BigQuery) failed and is tried again after `waitMs`. */
  | { type: "warehouse.retry"; what: string; attempt: number; waitMs: number; error: string }
  | GraphEvent;

export type SyncEventListener = (event: SyncEvent) => void;
