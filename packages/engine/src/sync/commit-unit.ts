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

  private reject(record: Record<string, unknown>, reason: string): RejectedRecord {
    const id = record.id ?? record[this.target.keyColumns[0] ?? "id"];
    return { table: this.target.name, recordId: id === undefined || id === null ? null : String(id), reason, rawJson: JSON.stringify(record) };
  }
}

/** Rows of one table waiting for the next commit, folded by key in Graph's order. */
export class PendingRows {
  private rows = new Map<string, StagedRow>();
  private files: string[] = [];
  private fileRows = 0;
  private fileDeletes = 0;
  /** Keys already in this write's files: a later spill of one of them makes the write need deduplication. */
  private spilledKeys = new KeyHashSet();
  private keysUnique = true;
  private sequence = 0;

  constructor(
    readonly target: TableTarget,
    private readonly syncedAt: string,
    private readonly workDir: string,
  ) {}

  add(row: StagedRow): void {
    const earlier = this.rows.get(row.key);
    this.rows.set(row.key, earlier ? foldRows(earlier, row) : row);
  }

  get size(): number {
    return this.rows.size + this.fileRows;
  }

  get inMemory(): number {
    return this.rows.size;
  }

  /** Writes the in-memory rows to an NDJSON file (full refresh spills this way to keep memory flat). */
  async spill(): Promise<void> {
    if (this.rows.size === 0) return;
    const path = join(this.workDir, `${this.target.name}-${process.pid}-${Date.now()}-${this.files.length}.ndjson`);
    // Built as text: the row's values are serialised once and the helper columns appended, which is
    // the hot path of a large sync (no per-row object copies).
    const synced = `"${SYNCED_AT}":${JSON.stringify(this.syncedAt)},`;
    // Only incremental tables have the column; BigQuery rejects a load row naming an unknown field.
    const reason = (deletedReason: string | null) => (this.target.incremental ? `"${DELETED_REASON}":${JSON.stringify(deletedReason)},` : "");
    // What every complete upsert carries but its sequence number (most rows of a large sync are these).
    const completeUpsert = `${synced}${reason(null)}"${OP_COLUMN}":"upsert","${COMPLETE_COLUMN}":true,"${PRESENT_COLUMN}":[],"${SEQ_COLUMN}":`;
    // Rows added while the file is written belong to the next spill.
    const rows = this.rows;
    this.rows = new Map();
    const file = await NdjsonFile.create(path);
    try {
      for (const row of rows.values()) {
        if (this.keysUnique && this.spilledKeys.add(row.key)) this.keysUnique = false;
        if (row.op === "delete") this.fileDeletes += 1;
        const complete = row.present === "all";
        const helpers =
          complete && row.op === "upsert" && row.deletedReason === null
            ? `${completeUpsert}${++this.sequence}`
            : `${synced}${reason(row.deletedReason)}"${OP_COLUMN}":"${row.op}","${COMPLETE_COLUMN}":${complete},"${PRESENT_COLUMN}":${complete ? "[]" : JSON.stringify([...row.present])},"${SEQ_COLUMN}":${++this.sequence}`;
        const written = file.addObject(row.json ?? JSON.stringify(row.values), helpers);
        if (written) await written;
      }
    } finally {
      await file.close();
    }
    this.files.push(path);
    this.fileRows += rows.size;
  }

  /** Drops everything buffered and spilled (a round that starts over). */
  async clear(): Promise<void> {
    await Promise.all(this.files.map((f) => rm(f, { force: true })));
    this.rows = new Map();
    this.startNextWrite();
  }

  /** Spills what is left and hands the files over as one write; the buffer starts empty again. */
  async take(mode: TableWrite["mode"], sweepSyncedBefore?: string): Promise<TableWrite> {
    await this.spill();
    const write: TableWrite = {
      target: this.target,
      mode,
      files: this.files,
      rows: this.fileRows,
      deletes: this.fileDeletes,
      keysUnique: this.keysUnique,
      ...(sweepSyncedBefore ? { sweepSyncedBefore } : {}),
    };
    this.startNextWrite();
    return write;
  }

  private startNextWrite(): void {
    this.files = [];
    this.fileRows = 0;
    this.fileDeletes = 0;
    this.spilledKeys = new KeyHashSet();
    this.keysUnique = true;
  }
}
