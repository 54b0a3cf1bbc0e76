import type { BigQuery, Dataset, TableField, TableMetadata } from "@google-cloud/bigquery";
import { toBigQueryFields, type ColumnSpec } from "@kaivo/codegen";
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { ModelExecutor } from "../../models/model-executor.js";
import type { ModelTarget } from "../../models/types.js";
import type { ModelSource, TableTarget } from "../../plan/table-plan.js";
import type { TableState } from "../../state/table-state.js";
import { ColumnTypeChangedError, DatasetLocationError, TableIsViewError } from "../errors.js";
import type { CommitRequest, Destination, LeaseRequest, RejectedRecord, TableWrite, WriteCounts } from "../destination.js";
import { sourceColumns } from "../source-columns.js";
import type { SqlDialect } from "../sql/dialect.js";
import { buildCommitScript, type CommitScriptHost } from "../sql/commit-script.js";
import { readRejectedNotStored, REJECTS_TABLE, STAGED_REJECT_COLUMNS, STAGING_HELPER_COLUMNS, SYSTEM_TABLES } from "../sql/sync-sql.js";
import { StateTable } from "../state-table.js";
import { createWorkDir } from "../../sync/work-dir.js";
import { createBigQueryClient, type BigQueryConnection } from "./bigquery-client.js";
import { bigQueryDialect } from "./bigquery-dialect.js";
import { withBigQueryRetries, type WarehouseRetry } from "./bigquery-errors.js";

export interface BigQueryDestinationOptions extends BigQueryConnection {
  dataset: string;
  now?: () => Date;
  /** First backoff of BigQuery retries (tests shorten it). */
  retryBaseDelayMs?: number;
  /** Told of each retry of a failed BigQuery call, before its wait. */
  onRetry?: (retry: WarehouseRetry) => void;
}

const STAGING_TTL_MS = 24 * 3_600_000;

/**
 * BigQuery: every write is a load job into a staging table (never streaming inserts), then one
 * multi-statement transaction applies the MERGE (or TRUNCATE + INSERT), the rejects and the
 * `_kaivo_state` rows together.
 */
export class BigQueryDestination implements Destination {
  readonly kind = "bigquery" as const;
  readonly location: string;
  readonly client: BigQuery;
  private readonly dialect: SqlDialect;
  private readonly dataset: Dataset;
  private readonly now: () => Date;
  private stagingSequence = 0;
  /** The synced dataset is known to exist in the configured location (see ensureDatasetLocation). */
  private datasetLocated = false;
  private readonly state: StateTable;

  constructor(private readonly options: BigQueryDestinationOptions) {
    this.client = createBigQueryClient(options);
    this.dataset = this.client.dataset(options.dataset, { location: options.location });
    this.dialect = bigQueryDialect(options.project, options.dataset);
    this.location = `${options.project}.${options.dataset}`;
    this.now = options.now ?? (() => new Date());
    this.state = new StateTable({
      dialect: this.dialect,
      query: (sql) => this.query(sql),
      write: async (statements) => {
        await this.query(this.script(statements));
      },
      now: this.now,
      location: this.location,
    });
  }

  /** One call of the client, retried while BigQuery says it is transient; failures as Kaivo's errors. */
  private call<T>(what: string, work: () => Promise<T>): Promise<T> {
    return withBigQueryRetries(what, work, { baseDelayMs: this.options.retryBaseDelayMs, onRetry: this.options.onRetry });
  }

  /** Runs GoogleSQL (a statement or a script) and returns the rows of its last statement. */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    await this.ensureDatasetLocation();
    return this.call("query", async () => (await this.client.query({ query: sql, location: this.options.location }))[0] as Record<string, unknown>[]);
  }

  async prepare(targets: readonly TableTarget[]): Promise<string[]> {
    if (!(await this.ensureDatasetLocation())) {
      await this.call("creating the dataset", () => this.client.createDataset(this.options.dataset, { location: this.options.location, labels: { managed_by: "kaivo" } }));
      this.datasetLocated = true;
    }
    for (const [name, columns] of Object.entries(SYSTEM_TABLES)) {
      await this.ensureTable(name, columns.map(([c, t]) => ({ name: c, graphName: c, type: t, mode: "NULLABLE" })), {}, await this.storedMetadata(name));
    }
    const stored = new Map<string, TableMetadata>();
    for (const target of targets) {
      const metadata = await this.storedMetadata(target.name);
      if (metadata) stored.set(target.name, metadata);
    }
    const shadowed = targets.filter((t) => stored.get(t.name)?.type === "VIEW").map((t) => t.name);
    if (shadowed.length > 0) throw new TableIsViewError(shadowed, this.location);
    // Every table: a full refresh truncates its table and inserts into the columns it has.
    const changed = targets.flatMap((t) =>
      evolveFields((stored.get(t.name)?.schema?.fields ?? []) as TableField[], toBigQueryFields(t.columns) as TableField[]).retyped.map((c) => ({ table: t.name, ...c })),
    );
    if (changed.length > 0) throw new ColumnTypeChangedError(changed, this.location);
    for (const target of targets) {
      await this.ensureTable(target.name, target.columns, {
        description: target.description.slice(0, 16_384),
        ...(target.clusterBy.length ? { clustering: { fields: target.clusterBy } } : {}),
        ...(target.partitionBy ? { timePartitioning: { type: target.partitionBy.granularity, field: target.partitionBy.column } } : {}),
      }, stored.get(target.name));
    }
    return targets.filter((t) => !stored.has(t.name)).map((t) => t.name);
  }

  /** The table's metadata, or undefined when it does not exist. */
  private async storedMetadata(name: string): Promise<TableMetadata | undefined> {
    const table = this.dataset.table(name);
    if (!(await this.call(`looking up table ${name}`, () => table.exists()))[0]) return undefined;
    return (await this.call(`reading the schema of ${name}`, () => table.getMetadata()))[0] as TableMetadata;
  }

  /** Creates the table (`stored` undefined), or adds columns it lacks as NULLABLE/REPEATED; never drops one. */
  private async ensureTable(name: string, columns: readonly ColumnSpec[], extra: Record<string, unknown>, stored: TableMetadata | undefined): Promise<void> {
    const table = this.dataset.table(name);
    const fields = toBigQueryFields(columns) as TableField[];
    if (!stored) {
      await this.call(`creating table ${name}`, () => this.dataset.createTable(name, { schema: { fields }, labels: { managed_by: "kaivo" }, ...extra }));
      return;
    }
    const evolved = evolveFields((stored.schema?.fields ?? []) as TableField[], fields);
    if (evolved.added) await this.call(`adding columns to ${name}`, () => table.setMetadata({ schema: { fields: evolved.fields } }));
  }

  acquireLease(lease: LeaseRequest): Promise<void> {
    return this.state.acquireLease(lease);
  }

  renewLease(lease: LeaseRequest): Promise<void> {
    return this.state.writeLease(lease);
  }

  releaseLease(runId: string): Promise<void> {
    return this.state.releaseLease(runId);
  }

  async readState(table: string): Promise<TableState | undefined> {
    return (await this.readAllStates()).get(table);
  }

  readAllStates(): Promise<Map<string, TableState>> {
    return this.state.readAll();
  }

  readTenant(): Promise<string | undefined> {
    return this.state.tenant();
  }

  resetState(tables: readonly string[]): Promise<void> {
    return this.state.reset(tables);
  }

  async commit(request: CommitRequest): Promise<Map<string, WriteCounts>> {
    const staged: string[] = [];
    const host: CommitScriptHost = {
      dialect: this.dialect,
      stage: async (write) => {
        const name = await this.loadStaging(write, request.runId);
        staged.push(name);
        return this.dialect.table(name);
      },
      stageRejects: async (rejects) => {
        const name = await this.loadRejects(rejects, request.runId);
        staged.push(name);
        return this.dialect.table(name);
      },
      query: (sql) => this.query(sql),
      reportsRowsChanged: false,
    };
    try {
      const { statements, counts } = await buildCommitScript(host, request, this.now().toISOString());
      // An error inside the script rolls the whole transaction back; a concurrent-DML conflict is retried.
      await this.query(this.script(statements.map((s) => s.sql)));
      return counts;
    } finally {
      await Promise.all(staged.map((name) => this.dataset.table(name).delete().catch(() => undefined)));
    }
  }

  /** One load job of the write's NDJSON files into a fresh staging table that expires by itself. */
  private loadStaging(write: TableWrite, runId: string): Promise<string> {
    const columns = [...write.target.columns, ...STAGING_HELPER_COLUMNS.map((c) => ({ ...c, graphName: c.name }))] as ColumnSpec[];
    return this.loadStagingTable(write.target.name, runId, columns, write.files, `${write.rows} rows of ${write.target.name}`);
  }

  /** Rejects too large for the commit's script as literals, loaded like staged rows (see CommitScriptHost.stageRejects). */
  private async loadRejects(rejects: readonly RejectedRecord[], runId: string): Promise<string> {
    // A run's own kind of folder: the next run removes it if this one is killed before its cleanup (it holds raw records).
    const dir = await createWorkDir();
    try {
      const file = join(dir, "rejects.ndjson");
      await writeFile(file, rejects.map((r) => `${JSON.stringify({ table_name: r.table, record_id: r.recordId, reason: r.reason, raw_json: r.rawJson })}\n`).join(""));
      const columns = STAGED_REJECT_COLUMNS.map((name): ColumnSpec => ({ name, graphName: name, type: "STRING", mode: "NULLABLE" }));
      return await this.loadStagingTable(REJECTS_TABLE, runId, columns, [file], `${rejects.length} rejected records`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async loadStagingTable(table: string, runId: string, columns: readonly ColumnSpec[], files: readonly string[], what: string): Promise<string> {
    const name = `_kaivo_stg_${table}_${runId.slice(0, 8)}_${++this.stagingSequence}`;
    const fields = toBigQueryFields(columns) as TableField[];
    const expirationTime = String(this.now().getTime() + STAGING_TTL_MS);
    await this.call(`creating staging table ${name}`, () => this.dataset.createTable(name, { schema: { fields }, expirationTime }));
    if (files.length === 0) return name;
    const file = files.length === 1 ? files[0]! : await concatenate(files);
    try {
      await this.call(`loading ${what}`, async () => {
        const jobId = `kaivo_load_${table}_${randomUUID()}`;
        try {
          // As table.load does, but pipeline closes the file when the upload or the job fails
          // (load's pipe left it open, for the garbage collector to close with a warning).
          await pipeline(createReadStream(file), this.dataset.table(name).createWriteStream({ sourceFormat: "NEWLINE_DELIMITED_JSON", schema: { fields }, writeDisposition: "WRITE_TRUNCATE", jobId }));
        } catch (error) {
          throw Object.assign(error as object, { response: { jobReference: { jobId } } });
        }
      });
    } finally {
      if (file !== files[0]) await rm(file, { force: true });
    }
    return name;
  }

  private script(statements: readonly string[]): string {
    return [this.dialect.beginTransaction, ...statements, this.dialect.commitTransaction].map((s) => `${s};`).join("\n");
  }

  rejectedNotStored(tables: readonly TableTarget[]): Promise<Map<string, number>> {
    return readRejectedNotStored(this.dialect, tables, (sql) => this.query(sql));
  }

  async listTables(): Promise<string[]> {
    // Before the first sync the dataset may not exist: it holds no tables then.
    if (!(await this.call("looking up the dataset", () => this.dataset.exists()))[0]) return [];
    const [tables] = await this.call("listing tables", () => this.dataset.getTables());
    return tables.map((t) => t.id ?? "").filter((id) => id && !id.startsWith("_kaivo_stg_"));
  }

  async modelExecutor(modelSchema: string, sources: readonly ModelSource[] = []): Promise<{ executor: ModelExecutor; target: ModelTarget }> {
    const existing = new Map<string, Map<string, TableField>>();
    for (const { declared } of sources) {
      const metadata = await this.storedMetadata(declared.name);
      if (metadata) existing.set(declared.name, fieldsByName(metadata));
    }
    const models = this.client.dataset(modelSchema, { location: this.options.location });
    const executor: ModelExecutor = {
      dialect: "bigquery",
      execute: async (sql) => {
        await this.query(sql);
      },
      query: (sql) => this.query(sql),
      existingKinds: async () => {
        // Before a dry run's first build, the dataset may not exist: it then holds nothing.
        const [exists] = await this.call("looking up the models dataset", () => models.exists());
        if (!exists) return new Map();
        const [tables] = await this.call("listing the models dataset", () => models.getTables());
        return new Map(tables.map((t) => [t.id ?? "", t.metadata?.type === "VIEW" ? "view" : "table"]));
      },
      createSchema: async () => {
        if (!(await this.checkLocation(models))) await this.call("creating the models dataset", () => this.client.createDataset(modelSchema, { location: this.options.location, labels: { managed_by: "kaivo" } }));
      },
    };
    return { executor, target: { project: this.options.project, sourceSchema: this.options.dataset, modelSchema, ...sourceColumns(this.dialect, sources, existing) } };
  }

  async probe(): Promise<void> {
    await this.query("SELECT 1");
  }

  /**
   * Checks the synced dataset's location before the first job; whether the dataset exists. Once it
   * is known to exist in the right place, that stands for the destination's life; a dataset not
   * there yet, or a lookup that failed, is looked up again next time.
   */
  private async ensureDatasetLocation(): Promise<boolean> {
    this.datasetLocated ||= await this.checkLocation(this.dataset);
    return this.datasetLocated;
  }

  /**
   * Whether the dataset exists; stops at one in another location than the configured one. Its
   * jobs would fail anyway, with BigQuery's "Not found: Dataset … was not found in location …",
   * which reads as a typo.
   */
  private async checkLocation(dataset: Dataset): Promise<boolean> {
    const metadata = await this.call("looking up the dataset", async () => ((await dataset.exists())[0] ? ((await dataset.getMetadata())[0] as Record<string, unknown>) : undefined));
    if (metadata === undefined) return false;
    const stored = typeof metadata.location === "string" ? metadata.location : undefined;
    if (stored && stored.toLowerCase() !== this.options.location.toLowerCase()) throw new DatasetLocationError(`${this.options.project}.${dataset.id}`, stored, this.options.location);
    return true;
  }

  async close(): Promise<void> {}
}

/** One file to upload per load job; each source is appended through its own stream. */
async function concatenate(files: readonly string[]): Promise<string> {
  const target = `${files[0]}.all`;
  for (const [i, file] of files.entries()) await pipeline(createReadStream(file), createWriteStream(target, { flags: i === 0 ? "w" : "a" }));
  return target;
}

/** A stored table's top-level fields by lower-case name (BigQuery's names are case-insensitive). */
function fieldsByName(metadata: TableMetadata | undefined): Map<string, TableField> {
  return new Map(((metadata?.schema?.fields ?? []) as TableField[]).map((f) => [(f.name ?? "").toLowerCase(), f]));
}

/**
 * A stored schema evolved toward the declared one as BigQuery allows: fields the declaration added
 * (sub-fields of a RECORD too) are appended as NULLABLE or REPEATED; stored fields it no longer has
 * stay. A field whose type changed is `retyped` (dotted path for a sub-field), which Kaivo refuses.
 */
function evolveFields(stored: readonly TableField[], declared: readonly TableField[], prefix = ""): { fields: TableField[]; added: boolean; retyped: Array<{ column: string; stored: string; declared: string }> } {
  const byName = new Map(declared.map((f) => [(f.name ?? "").toLowerCase(), f]));
  const result = { fields: [] as TableField[], added: false, retyped: [] as Array<{ column: string; stored: string; declared: string }> };
  for (const field of stored) {
    const wanted = byName.get((field.name ?? "").toLowerCase());
    byName.delete((field.name ?? "").toLowerCase());
    if (!wanted) {
      result.fields.push(field);
    } else if (fieldType(field) !== fieldType(wanted)) {
      result.retyped.push({ column: `${prefix}${wanted.name}`, stored: fieldType(field), declared: fieldType(wanted) });
      result.fields.push(field);
    } else if (field.fields && wanted.fields) {
      const sub = evolveFields(field.fields, wanted.fields, `${prefix}${field.name}.`);
      result.fields.push({ ...field, fields: sub.fields });
      result.added ||= sub.added;
      result.retyped.push(...sub.retyped);
    } else {
      result.fields.push(field);
    }
  }
  for (const field of byName.values()) result.fields.push({ ...field, mode: field.mode === "REPEATED" ? "REPEATED" : "NULLABLE" });
  result.added ||= byName.size > 0;
  return result;
}

/**
 * A field's type as BigQuery's legacy and GoogleSQL names agree on it, with ARRAY for REPEATED. A
 * RECORD's sub-fields are left out: evolveFields compares them one by one.
 */
function fieldType(field: TableField): string {
  const names: Record<string, string> = { INTEGER: "INT64", FLOAT: "FLOAT64", BOOLEAN: "BOOL", STRUCT: "RECORD" };
  const type = names[field.type ?? ""] ?? field.type ?? "?";
  return field.mode === "REPEATED" ? `ARRAY<${type}>` : type;
}
