import { emitDuckDbDdl } from "@kaivo/codegen";
import { dialectFor } from "../../models/dialects/index.js";
import type { ModelExecutor } from "../../models/model-executor.js";
import type { Materialization, ModelTarget } from "../../models/types.js";
import type { ModelSource, TableTarget } from "../../plan/table-plan.js";
import type { TableState } from "../../state/table-state.js";
import type { CommitRequest, Destination, LeaseRequest, WriteCounts } from "../destination.js";
import { ColumnTypeChangedError, LeaseHeldError, TableIsViewError, WarehouseError } from "../errors.js";
import { sourceColumns } from "../source-columns.js";
import type { SqlDialect } from "../sql/dialect.js";
import { buildCommitScript, type CommitScriptHost, type CommitStatement } from "../sql/commit-script.js";
import { readRejectedNotStored, STAGING_HELPER_COLUMNS, SYSTEM_TABLES } from "../sql/sync-sql.js";
import { StateTable } from "../state-table.js";
import { DuckDbHandle, type DuckDbSession } from "./duckdb-connection.js";
import { duckDbDialect } from "./duckdb-dialect.js";
import { canonical, columnEvolution } from "./stored-type.js";

export interface DuckDbDestinationOptions {
  /** Database file; `:memory:` for tests. */
  path: string;
  /** Where the path was given (a config field), named in the error when it cannot be opened. */
  configuredAt?: string;
  /** Schema for the synced tables (default main). */
  schema?: string;
  /** Open the file for reading only: statements that write are refused. */
  readOnly?: boolean;
  now?: () => Date;
}

/** The embedded warehouse: staged NDJSON read in place with read_ndjson, merged in one transaction with state. */
export class DuckDbDestination implements Destination {
  readonly kind = "duckdb" as const;
  readonly location: string;
  private readonly dialect: SqlDialect;
  private readonly schema: string;
  private readonly now: () => Date;

  private constructor(
    private readonly db: DuckDbHandle,
    options: DuckDbDestinationOptions,
  ) {
    this.location = options.path;
    this.schema = options.schema ?? "main";
    this.dialect = duckDbDialect(this.schema);
    this.now = options.now ?? (() => new Date());
  }

  static async open(options: DuckDbDestinationOptions): Promise<DuckDbDestination> {
    return new DuckDbDestination(await DuckDbHandle.open(options.path, options.configuredAt, { readOnly: options.readOnly ?? false }), options);
  }

  /** The underlying handle, for `kaivo sql` and the model runner. */
  get handle(): DuckDbHandle {
    return this.db;
  }

  async prepare(targets: readonly TableTarget[]): Promise<string[]> {
    const d = this.dialect;
    await this.db.useSettingsFor("sync");
    await this.db.run(`CREATE SCHEMA IF NOT EXISTS ${d.quote(this.schema)}`);
    for (const [name, columns] of Object.entries(SYSTEM_TABLES)) {
      await this.db.run(`CREATE TABLE IF NOT EXISTS ${d.table(name)} (${columns.map(([c, t]) => `${d.quote(c)} ${d.type({ type: t, mode: "NULLABLE" })}`).join(", ")})`);
    }
    const kinds = await this.relationKinds(this.schema);
    const shadowed = targets.filter((t) => kinds.get(t.name) === "view").map((t) => t.name);
    if (shadowed.length > 0) throw new TableIsViewError(shadowed, this.location);
    const stored = await this.storedColumnTypes();
    // A full refresh rebuilds its table with the declared types; an incremental table keeps its rows,
    // and its RECORD columns take sub-fields the declaration added.
    const evolutions = targets.filter((t) => t.incremental).flatMap((t) =>
      t.columns.flatMap((c) => {
        const was = stored.get(t.name)?.get(c.name.toLowerCase());
        return was === undefined || canonical(was) === canonical(d.type(c)) ? [] : [{ table: t.name, column: c, was, ...columnEvolution(c, was) }];
      }),
    );
    const changed = evolutions.filter((e) => e.retyped).map((e) => ({ table: e.table, column: e.column.name, stored: e.was, declared: d.type(e.column) }));
    if (changed.length > 0) throw new ColumnTypeChangedError(changed, this.location);
    for (const { table, addSubFields } of evolutions) {
      for (const field of addSubFields) await this.db.run(`ALTER TABLE ${d.table(table)} ADD COLUMN ${field.path} ${field.type}`);
    }
    const created: string[] = [];
    for (const target of targets) {
      await this.db.run(emitDuckDbDdl(target, target.columns, this.schema));
      const existing = stored.get(target.name);
      if (existing === undefined) {
        created.push(target.name); // with every column
        continue;
      }
      // Newly selected columns are added; a column no longer selected is kept (incremental tables keep history).
      for (const column of target.columns.filter((c) => !existing.has(c.name.toLowerCase()))) {
        await this.db.run(`ALTER TABLE ${d.table(target.name)} ADD COLUMN ${d.quote(column.name)} ${d.type(column)}`);
      }
    }
    return created;
  }

  /** The views and tables of `schema`, by name. */
  private async relationKinds(schema: string): Promise<Map<string, Materialization>> {
    const rows = await this.db.query(`SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ${this.dialect.string(schema)}`);
    return new Map(rows.map((r) => [String(r.table_name), r.table_type === "VIEW" ? "view" : "table"]));
  }

  /** Table -> column (lower case: DuckDB's names are case-insensitive) -> DuckDB type, for the tables in the schema. */
  private async storedColumnTypes(): Promise<Map<string, Map<string, string>>> {
    const tables = new Map<string, Map<string, string>>();
    for (const row of await this.db.query(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ${this.dialect.string(this.schema)}`)) {
      const table = String(row.table_name);
      tables.set(table, (tables.get(table) ?? new Map()).set(String(row.column_name).toLowerCase(), String(row.data_type)));
    }
    return tables;
  }

  /** State and lease statements run in the `session` already holding the connection exclusively. */
  private stateTable(session: DuckDbSession): StateTable {
    return new StateTable({
      dialect: this.dialect,
      query: (sql) => session.query(sql),
      write: (statements) => this.inTransaction(session, statements.map((sql) => ({ sql }))),
      now: this.now,
      location: this.location,
    });
  }

  acquireLease(lease: LeaseRequest): Promise<void> {
    // Read and write under one exclusive hold of the connection.
    return this.db.exclusive((c) => this.stateTable(c).acquireLease(lease));
  }

  renewLease(lease: LeaseRequest): Promise<void> {
    return this.db.exclusive((c) => this.stateTable(c).writeLease(lease));
  }

  releaseLease(runId: string): Promise<void> {
    return this.db.exclusive((c) => this.stateTable(c).releaseLease(runId));
  }

  async readState(table: string): Promise<TableState | undefined> {
    return (await this.readAllStates()).get(table);
  }

  readAllStates(): Promise<Map<string, TableState>> {
    return this.db.exclusive((c) => this.stateTable(c).readAll());
  }

  readTenant(): Promise<string | undefined> {
    return this.db.exclusive((c) => this.stateTable(c).tenant());
  }

  resetState(tables: readonly string[]): Promise<void> {
    return this.db.exclusive((c) => this.stateTable(c).reset(tables));
  }

  async commit(request: CommitRequest): Promise<Map<string, WriteCounts>> {
    return this.db.exclusive(async (session) => {
      const host: CommitScriptHost = {
        dialect: this.dialect,
        // The files are read in place by the statements that use them: loading them into a table first costs as much again.
        stage: async (write) => this.readStaged(write.target, write.files),
        query: (sql) => session.query(sql),
        reportsRowsChanged: true,
      };
      try {
        const { statements, counts } = await buildCommitScript(host, request, this.now().toISOString());
        await this.inTransaction(session, statements);
        return counts;
      } catch (error) {
        throw error instanceof WarehouseError ? error : this.failure(error);
      }
    });
  }

  /** read_ndjson over the staged files with every column typed explicitly (inference would guess STRUCTs). */
  private readStaged(target: TableTarget, files: readonly string[]): string {
    const d = this.dialect;
    const columns = [...target.columns, ...STAGING_HELPER_COLUMNS];
    // A full refresh that found nothing: no rows, with the same columns.
    if (files.length === 0) return `(SELECT ${columns.map((c) => `CAST(NULL AS ${d.type(c)}) AS ${d.quote(c.name)}`).join(", ")} LIMIT 0)`;
    const spec = columns.map((c) => `${d.string(c.name)}: ${d.string(d.type(c))}`).join(", ");
    const list = `[${files.map((f) => d.string(f)).join(", ")}]`;
    return `read_ndjson(${list}, columns = {${spec}}, format = 'newline_delimited')`;
  }

  private async inTransaction(session: DuckDbSession, statements: readonly CommitStatement[]): Promise<void> {
    try {
      await session.transaction(statements);
    } catch (error) {
      throw this.failure(error);
    }
  }

  /**
   * A DuckDB error as the user sees it; running out of memory says which setting to raise, and
   * `rerun` what to do after raising it.
   */
  private failure(error: unknown, rerun = "run again: committed tables resume where they stopped."): WarehouseError {
    const message = error instanceof Error ? error.message : String(error);
    const outOfMemory = /Out of Memory Error/i.test(message);
    // DuckDB's own advice on memory names its settings, not Kaivo's: the hint below replaces it.
    return new WarehouseError(`DuckDB rejected a statement in ${this.location}: ${outOfMemory ? message.split("\n")[0] : message}`, undefined, {
      cause: error,
      ...(outOfMemory ? { hint: `DuckDB may use ${this.db.memoryLimit} here; set KAIVO_DUCKDB_MEMORY_LIMIT to more (e.g. 1GB) and ${rerun}` } : {}),
    });
  }

  async probe(): Promise<void> {
    await this.db.query("SELECT 1");
  }

  rejectedNotStored(tables: readonly TableTarget[]): Promise<Map<string, number>> {
    return readRejectedNotStored(this.dialect, tables, (sql) => this.db.query(sql));
  }

  async listTables(): Promise<string[]> {
    const rows = await this.db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = ${this.dialect.string(this.schema)}`);
    return rows.map((r) => String(r.table_name));
  }

  async modelExecutor(modelSchema: string, sources: readonly ModelSource[] = []): Promise<{ executor: ModelExecutor; target: ModelTarget }> {
    await this.db.useSettingsFor("queries");
    const stored = await this.storedColumnTypes();
    const explained = <T>(work: Promise<T>) => work.catch((error: unknown) => Promise.reject(this.failure(error, "build again.")));
    const execute = (sql: string) => explained(this.db.run(sql));
    const executor: ModelExecutor = {
      dialect: "duckdb",
      execute,
      executeInTransaction: (statements) => explained(this.db.exclusive((session) => session.transaction(statements.map((sql) => ({ sql }))))),
      query: (sql) => explained(this.db.queryJson(sql)),
      snapshot: duckDbSnapshot(execute),
      existingKinds: () => this.relationKinds(modelSchema),
      createSchema: () => execute(`CREATE SCHEMA IF NOT EXISTS ${this.dialect.quote(modelSchema)}`),
    };
    return { executor, target: { sourceSchema: this.schema, modelSchema, ...sourceColumns(this.dialect, sources, stored) } };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** ModelExecutor.snapshot for DuckDB: a temporary table, private to the connection and gone with it. */
export function duckDbSnapshot(execute: (sql: string) => Promise<void>): NonNullable<ModelExecutor["snapshot"]> {
  return async (relation, name) => {
    const copy = `temp.main.${dialectFor("duckdb").quoteIdentifier(`kaivo_tests_${name}`)}`;
    await execute(`CREATE OR REPLACE TEMP TABLE ${copy} AS SELECT * FROM ${relation}`);
    return { relation: copy, drop: () => execute(`DROP TABLE IF EXISTS ${copy}`) };
  };
}

