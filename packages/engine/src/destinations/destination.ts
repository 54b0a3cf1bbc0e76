import type { ModelExecutor } from "../models/model-executor.js";
import type { ModelTarget } from "../models/types.js";
import type { ModelSource, TableTarget } from "../plan/table-plan.js";
import type { TableState } from "../state/table-state.js";

/** Staged rows of one table, as newline-delimited JSON files the destination loads. */
export interface TableWrite {
  target: TableTarget;
  /**
   * merge: upsert/patch/mark-deleted by key (delta tables, and a cursor table read again whole).
   * append: insert the rows whose key is not stored yet and keep stored rows as they are (a cursor
   *   table's look-back re-reads events it already has, and an audit event never changes).
   * replace: the files hold the whole table; swap it in atomically (full refresh).
   */
  mode: "merge" | "append" | "replace";
  files: string[];
  rows: number;
  /** Rows that are removals; a merge of upserts only can count what it did as it runs. */
  deletes: number;
  /** Upserts carrying only some properties (incremental rounds); with none, and no removals, every row is a complete upsert. */
  partials: number;
  /** No key appears twice in the files, so the staged rows need no deduplication. */
  keysUnique: boolean;
  /**
   * The run's _kaivo_synced_at, which every staged row carries: a stored row that has it was written
   * by an earlier commit of the same run (Graph may send an object twice in a round), and is not counted again.
   */
  syncedAt: string;
  /** After merging, mark rows not written since this instant as vanished (end of an initial delta round). */
  sweepSyncedBefore?: string;
  /**
   * A relation's parents that Graph reported removed in this write's pages: their edges end too
   * (Graph sends a removed group as its id alone, no member removals).
   */
  endedParents?: EndedParents;
}

/** Parent ids by the reason Graph gave for their removal, and the relation's column holding them. */
export interface EndedParents {
  column: string;
  /**
   * Parents the write's pages showed alive again after their removal: their edges end before the
   * staged rows merge, so that the edges sent after the removal stay.
   */
  beforeMerge: Record<string, string[]>;
  /** The other removed parents: their edges end after the merge, which ends those the write added before the removal too. */
  afterMerge: Record<string, string[]>;
}

/** A record that failed validation, kept with its raw JSON (never silently dropped). */
export interface RejectedRecord {
  table: string;
  recordId: string | null;
  reason: string;
  rawJson: string;
}

/** One atomic unit: data of one or more tables, their rejects, and the state describing them. */
export interface CommitRequest {
  runId: string;
  writes: TableWrite[];
  rejects: RejectedRecord[];
  states: Array<{ table: string; state: TableState }>;
}

export interface WriteCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export interface LeaseRequest {
  runId: string;
  holder: string;
  /** How long the lease holds without renewal. */
  ttlMs: number;
  /** The tenant the run syncs, as the config names it: a warehouse holds one tenant's data, the first it was synced from. */
  tenantId: string;
  /**
   * The tenant's GUID, as the run's token names it: the warehouse records it, and holds the tenant
   * under either name (the config may name it by a domain).
   */
  signedInTenantId?: string | undefined;
}

/**
 * A warehouse. Shaped after BigQuery's model: data is staged (load jobs) and then applied with a
 * merge or a replace, in one transaction together with `_kaivo_state`, so state never moves ahead
 * of the data it describes.
 */
export interface Destination {
  readonly kind: "duckdb" | "bigquery";
  /** Where the data goes, for messages (a file path or project.dataset). */
  readonly location: string;
  /**
   * Creates the schema or dataset, the system tables, and each target (adding newly selected
   * columns). Returns the targets whose tables it had to create: state stored for them describes
   * rows the warehouse no longer has (a table dropped by hand), so they are read whole again.
   */
  prepare(targets: readonly TableTarget[]): Promise<string[]>;
  /** Refuses with LeaseHeldError when another live run holds the connection. */
  acquireLease(lease: LeaseRequest): Promise<void>;
  renewLease(lease: LeaseRequest): Promise<void>;
  releaseLease(runId: string): Promise<void>;
  readState(table: string): Promise<TableState | undefined>;
  readAllStates(): Promise<Map<string, TableState>>;
  /** The tenant whose data the warehouse holds, as its first run recorded it. */
  readTenant(): Promise<string | undefined>;
  /** Deletes the state of the named tables (all when empty), so their next run starts over. */
  resetState(tables: readonly string[]): Promise<void>;
  /** Applies the writes, rejects and states atomically; returns per-table counts. */
  commit(request: CommitRequest): Promise<Map<string, WriteCounts>>;
  /**
   * Per table of `tables` that lacks some, how many records `_kaivo_rejects` names that the table
   * holds no row of (an audit event rejected once is not read again unless its declaration changes).
   */
  rejectedNotStored(tables: readonly TableTarget[]): Promise<Map<string, number>>;
  /** Tables present in the schema or dataset (what the models can read). */
  listTables(): Promise<string[]>;
  /**
   * Runs a statement that reads and writes nothing, so what would stop a run here (credentials,
   * project, location) stops now, as the same error (`kaivo check`).
   */
  probe(): Promise<void>;
  /**
   * Runs model SQL here; creates the models' schema or dataset if needed. The target tells how
   * `{{source}}` reads the synced tables of `sources` (see sourceColumns).
   */
  modelExecutor(modelSchema: string, sources?: readonly ModelSource[]): Promise<{ executor: ModelExecutor; target: ModelTarget }>;
  close(): Promise<void>;
}
