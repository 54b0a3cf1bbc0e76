import type { ColumnSpec } from "@kaivo/codegen";
import { SYNCED_AT, DELETED_REASON } from "@kaivo/codegen";
import type { ValidateFunction } from "ajv";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { RejectedRecord, TableWrite } from "../destinations/destination.js";
import { SEQ_COLUMN } from "../destinations/sql/sync-sql.js";
import type { TableTarget } from "../plan/table-plan.js";
import { KeyHashSet } from "./key-hash-set.js";
import { NdjsonFile } from "./ndjson-file.js";
import { compileRecordValidator, describeValidationError } from "./record-validator.js";
import { COMPLETE_COLUMN, foldRows, keyOf, OP_COLUMN, PRESENT_COLUMN, projectRecord, type StagedRow } from "./staged-row.js";
import { normalizeTimestampsInPlace, timestampPaths, type TimestampPath } from "./timestamps.js";
import type { TableDeclaration } from "@kaivo/codegen";

/** Turns raw Graph records of one table into staged rows (or rejects). */
export class RecordProcessor {
  private readonly validate: ValidateFunction;
  private readonly timestamps: TimestampPath[];
  private readonly dataColumns: ColumnSpec[];
  private readonly keyColumns: ColumnSpec[];

  constructor(
    readonly target: TableTarget,
    declaration: TableDeclaration,
  ) {
    this.dataColumns = target.columns.filter((c) => !c.system);
    this.validate = compileRecordValidator(declaration, this.dataColumns.map((c) => c.graphName));
    this.timestamps = timestampPaths(this.dataColumns);
    this.keyColumns = this.dataColumns.filter((c) => c.primaryKey);
  }

  /** A removal reported by Graph (`@removed`), as a tombstone row carrying only the key. */
  removal(record: Record<string, unknown>, reason: string): StagedRow | RejectedRecord {
    const { values } = projectRecord(record, this.keyColumns, false);
    if (this.target.keyColumns.some((k) => values[k] === undefined || values[k] === null)) return this.reject(record, "removal without a key");
    return { key: keyOf(values, this.target.keyColumns), op: "delete", values, present: new Set(), deletedReason: reason };
  }

  /** `complete`: the record carries every selected property Graph has (list and initial rounds). */
  upsert(record: Record<string, unknown>, complete: boolean): StagedRow | RejectedRecord {
    normalizeTimestampsInPlace(record, this.timestamps);
    if (!this.validate(record)) return this.reject(record, describeValidationError(this.validate));
    const { values, present } = projectRecord(record, this.dataColumns, complete);
    const key = keyOf(values, this.target.keyColumns);
    if (complete) return { key, op: "upsert", values: {}, json: JSON.stringify(values), present, deletedReason: null };
    return { key, op: "upsert", values, present, deletedReason: null };
  }

  /** The record id is its first key field's value, as the sweep matches it against the stored key. */
  private reject(record: Record<string, unknown>, reason: string): RejectedRecord {
    const id = record[this.keyColumns[0]?.graphName ?? "id"];
    return { table: this.target.name, recordId: id === undefined || id === null ? null : String(id), reason, rawJson: JSON.stringify(record) };
  }
}

/**
 * Rows of one table waiting for the next commit, in Graph's order. Complete rows and removals that
 * arrive while no partial row waits go to the write's NDJSON file at once: a later row for the same
 * key supersedes them at the merge (last row wins), and held on the heap until a spill, a large
 * table's rows were what V8's young-generation collections spent their time copying. Partial rows
 * (incremental rounds) fold by key in memory, since a later one patches an earlier one. A partial
 * row never follows a complete one within a write: a write holds the rows of one round.
 */
export class PendingRows {
  private rows = new Map<string, StagedRow>();
  /** This write's file, opened by its first row. */
  private file: NdjsonFile | undefined;
  private fileRows = 0;
  private fileDeletes = 0;
  private filePartials = 0;
  /** Rows in the file's buffers, not yet handed to the disk. */
  private undrained = 0;
  /**
   * The last spill's disk writes, awaited by the next spill: one batch goes to the disk while the
   * next is staged. Waiting for each batch's own writes held up the table's next request (at 50 ms
   * per request, groups' fetching waited 1.8-2.7 s in all for its spills).
   */
  private writing: Promise<void> = Promise.resolve();
  /** Keys already in this write's files: a second row for one of them makes the write need deduplication. */
  private spilledKeys = new KeyHashSet();
  private keysUnique = true;
  private sequence = 0;
  /** The helper columns every row carries up to its own values, as text (see write). */
  private readonly synced: string;
  private readonly completeUpsert: string;

  constructor(
    readonly target: TableTarget,
    private readonly syncedAt: string,
    private readonly workDir: string,
  ) {
    this.synced = `"${SYNCED_AT}":${JSON.stringify(syncedAt)},`;
    // What every complete upsert carries but its sequence number (most rows of a large sync are these).
    this.completeUpsert = `${this.synced}${this.reason(null)}"${OP_COLUMN}":"upsert","${COMPLETE_COLUMN}":true,"${PRESENT_COLUMN}":[],"${SEQ_COLUMN}":`;
  }

  add(row: StagedRow): void {
    const earlier = this.rows.get(row.key);
    if (earlier === undefined && this.rows.size === 0 && (row.present === "all" || row.op === "delete")) this.write(row);
    else this.rows.set(row.key, earlier ? foldRows(earlier, row) : row);
  }

  get size(): number {
    return this.rows.size + this.fileRows;
  }

  /** Rows not yet handed to the disk: folding in memory, or in the file's buffers (one more batch may be on its way to the disk). */
  get inMemory(): number {
    return this.rows.size + this.undrained;
  }

  /** Writes the rows folding in memory to the file, hands them to the disk, and waits until the previous spill's rows are on disk. */
  async spill(): Promise<void> {
    const rows = this.rows;
    this.rows = new Map();
    for (const row of rows.values()) this.write(row);
    const previous = this.writing;
    this.writing = this.file?.drain() ?? Promise.resolve();
    // A failed write is reported by the next spill, or by take's close.
    this.writing.catch(() => undefined);
    this.undrained = 0;
    await previous;
  }

  /** Drops everything buffered and spilled (a round that starts over). */
  async clear(): Promise<void> {
    await this.file?.close().catch(() => undefined);
    if (this.file) await rm(this.file.path, { force: true });
    this.rows = new Map();
    this.startNextWrite();
  }

  /** Spills what is left and hands the file over as one write; the buffer starts empty again. */
  async take(mode: TableWrite["mode"], sweepSyncedBefore?: string): Promise<TableWrite> {
    await this.spill();
    await this.file?.close();
    const write: TableWrite = {
      target: this.target,
      mode,
      files: this.file ? [this.file.path] : [],
      rows: this.fileRows,
      deletes: this.fileDeletes,
      partials: this.filePartials,
      keysUnique: this.keysUnique,
      syncedAt: this.syncedAt,
      ...(sweepSyncedBefore ? { sweepSyncedBefore } : {}),
    };
    this.startNextWrite();
    return write;
  }

  /**
   * Appends a row to the write's file. Built as text: the row's values are serialised once and the
   * helper columns appended, which is the hot path of a large sync (no per-row object copies).
   */
  private write(row: StagedRow): void {
    if (!this.file) {
      // The sequence number names it apart from the file of an earlier write still being committed.
      this.file = new NdjsonFile(join(this.workDir, `${this.target.name}-${process.pid}-${Date.now()}-${this.sequence}.ndjson`));
    }
    if (this.keysUnique && this.spilledKeys.add(row.key)) this.keysUnique = false;
    const complete = row.present === "all";
    if (row.op === "delete") this.fileDeletes += 1;
    else if (!complete) this.filePartials += 1;
    const helpers =
      complete && row.op === "upsert" && row.deletedReason === null
        ? `${this.completeUpsert}${++this.sequence}`
        : `${this.synced}${this.reason(row.deletedReason)}"${OP_COLUMN}":"${row.op}","${COMPLETE_COLUMN}":${complete},"${PRESENT_COLUMN}":${complete ? "[]" : JSON.stringify([...row.present])},"${SEQ_COLUMN}":${++this.sequence}`;
    this.file.addObject(row.json ?? JSON.stringify(row.values), helpers);
    this.fileRows += 1;
    this.undrained += 1;
  }

  private reason(deletedReason: string | null): string {
    return `"${DELETED_REASON}":${JSON.stringify(deletedReason)},`;
  }

  private startNextWrite(): void {
    this.file = undefined;
    this.fileRows = 0;
    this.fileDeletes = 0;
    this.filePartials = 0;
    this.undrained = 0;
    this.writing = Promise.resolve();
    this.spilledKeys = new KeyHashSet();
    this.keysUnique = true;
  }
}
