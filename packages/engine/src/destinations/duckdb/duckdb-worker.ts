/**
 * The thread a DuckDB file is driven from (see DuckDbHandle). Each statement runs here, on a thread
 * that does nothing else: on the main thread every statement waited for the current page's parsing
 * and validation to finish before the next one could start.
 */
import { DuckDBInstance, DuckDBPendingResultState, type DuckDBConnection, type DuckDBPendingResult, type DuckDBResult } from "@duckdb/node-api";
import { parentPort, workerData } from "node:worker_threads";
import { plainJsonValue } from "./duckdb-values.js";

/** What the worker is opened with. */
export interface DuckDbWorkerData {
  path: string;
  options: Record<string, string>;
  /** Statements run once the connection is open (session settings). */
  setup: readonly string[];
}

/** What a statement hands back: the rows it returns (JS values, or JSON-ready), how many rows it changed, or nothing. */
export type StatementResult = "rows" | "json" | "changed" | "none";

export interface DuckDbStatement {
  sql: string;
  result: StatementResult;
}

export interface DuckDbScript {
  id: number;
  statements: readonly DuckDbStatement[];
  /** Runs the statements in one transaction, rolled back if any fails. */
  transaction: boolean;
}

export type StatementOutput = Array<Record<string, unknown>> | number | null;

export type DuckDbReply = { id: number; ok: true; outputs: StatementOutput[] } | { id: number; ok: false; message: string };

/** The first message: the database opened, or why not. */
export type DuckDbOpened = { opened: true } | { opened: false; message: string };

/** What DuckDB says after the node-api's prefix on a failed task ("Failure running pending result task: "). */
const TASK_FAILURE_PREFIX = /^Failure running pending result task: /;

/**
 * Runs a statement's work on this thread, to its result. `connection.run` would hand it to libuv's
 * pool, where successive statements land on any of its four threads, each then keeping its own
 * allocator caches, beside the file writes of the pages being staged. bench/sync.mjs, 100k users,
 * medians of three: 22.7 s, 35.3 s of CPU and 695 MB that way; 19.8 s, 31.5 s and 653 MB this way.
 */
async function execute(c: DuckDBConnection, sql: string): Promise<DuckDBPendingResult> {
  const pending = await c.start(sql);
  try {
    for (;;) {
      const state = pending.runTask();
      if (state === DuckDBPendingResultState.RESULT_READY) return pending;
      // DuckDB's own threads (queries and models run with more than one) hold the tasks left.
      if (state === DuckDBPendingResultState.NO_TASKS_AVAILABLE) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } catch (error) {
    throw error instanceof Error ? new Error(error.message.replace(TASK_FAILURE_PREFIX, ""), { cause: error }) : error;
  }
}

/**
 * Column names made distinct for row objects, as DuckDB names a subquery's columns: a second `id`
 * (`SELECT u.*, g.*`) becomes `id_1`, so no column is lost.
 */
function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 1; taken.has(unique); n++) unique = `${name}_${n}`;
    taken.add(unique);
    return unique;
  });
}

/** A statement whose rows are not read, run on this thread (see execute). */
async function run(c: DuckDBConnection, sql: string): Promise<DuckDBResult> {
  return (await execute(c, sql)).getResult();
}

async function runStatement(c: DuckDBConnection, { sql, result }: DuckDbStatement): Promise<StatementOutput> {
  switch (result) {
    case "rows":
      return (await (await execute(c, sql)).readAll()).getRowObjectsJS() as Array<Record<string, unknown>>;
    case "json": {
      const reader = await (await execute(c, sql)).readAll();
      const types = reader.columnTypes();
      const names = uniqueNames(reader.columnNames());
      return reader.getRowsJson().map((row) => {
        const out: Record<string, unknown> = {};
        names.forEach((name, i) => (out[name] = plainJsonValue(row[i], types[i]!)));
        return out;
      });
    }
    case "changed":
      return Number((await run(c, sql)).rowsChanged);
    case "none":
      await run(c, sql);
      return null;
  }
}

async function runScript(c: DuckDBConnection, script: DuckDbScript): Promise<StatementOutput[]> {
  const runStatements = async () => {
    const outputs: StatementOutput[] = [];
    for (const statement of script.statements) outputs.push(await runStatement(c, statement));
    return outputs;
  };
  if (!script.transaction) return runStatements();
  // DuckDB's COMMIT after a failed statement silently rolls back (toolchain-notes section 4): roll back explicitly.
  await run(c, "BEGIN TRANSACTION");
  try {
    const outputs = await runStatements();
    // Writing the WAL, and a checkpoint when it has grown past the threshold.
    await run(c, "COMMIT");
    return outputs;
  } catch (error) {
    await run(c, "ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function main(): Promise<void> {
  const port = parentPort!;
  const { path, options, setup } = workerData as DuckDbWorkerData;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    instance = await DuckDBInstance.create(path, options);
    connection = await instance.connect();
    for (const sql of setup) await run(connection, sql);
  } catch (error) {
    port.postMessage({ opened: false, message: (error as Error).message } satisfies DuckDbOpened);
    return;
  }
  port.postMessage({ opened: true } satisfies DuckDbOpened);
  // One script at a time, in the order they came: they share the one connection.
  let queue = Promise.resolve();
  port.on("message", (message: DuckDbScript | "close") => {
    queue = queue.then(async () => {
      if (message === "close") {
        connection.closeSync();
        instance.closeSync();
        port.close();
        return;
      }
      try {
        port.postMessage({ id: message.id, ok: true, outputs: await runScript(connection, message) } satisfies DuckDbReply);
      } catch (error) {
        port.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies DuckDbReply);
      }
    });
  });
}

await main();
