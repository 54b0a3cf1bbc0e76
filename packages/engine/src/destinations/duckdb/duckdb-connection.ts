import { KaivoError, quoteDuckDbString } from "@kaivo/codegen";
import { ConfigError } from "../../config/config.js";
import { closeSync, openSync, readSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { siblingWorkerScript } from "../../worker-script.js";
import type { CommitStatement } from "../sql/commit-script.js";
import type { DuckDbOpened, DuckDbReply, DuckDbScript, DuckDbStatement, DuckDbWorkerData, StatementOutput } from "./duckdb-worker.js";

/** DuckDB's threads for queries and models (few: the memory limit is shared by them). */
const QUERY_THREADS = 2;
/**
 * While a sync runs, one core stays with the JavaScript thread that fetches, parses and validates.
 * A DuckDB thread competing for it costs more than it adds (bench/sync.mjs on two cores: one DuckDB
 * thread instead of two took the 100k-user sync from 28-32 s to 23-27 s, and its CPU from 44-50 s to 35 s).
 */
export const SYNC_THREADS = Math.max(1, Math.min(QUERY_THREADS, availableParallelism() - 1));

const BYTES_PER_UNIT: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

const DUCKDB_DEFAULT_LIMIT = "80% of RAM (DuckDB's default)";

/** DuckDB's memory_limit while syncing, and for queries and models (undefined: DuckDB's own default). */
export interface MemoryLimits {
  sync: string;
  queries: string | undefined;
}

/**
 * KAIVO_DUCKDB_MEMORY_LIMIT for all work; without it, 256MB while syncing (a sync streams batches
 * and needs little; DuckDB's buffer pool would otherwise grow to 80% of RAM) and DuckDB's own
 * default for queries and models: the access-review views join every membership of a large
 * tenant (100k users at 256MB: a third of the model tests ran out of memory).
 */
export function memoryLimits(env: NodeJS.ProcessEnv = process.env): MemoryLimits {
  const set = env.KAIVO_DUCKDB_MEMORY_LIMIT?.trim();
  if (set && !SIZE.test(set)) {
    throw new ConfigError("KAIVO_DUCKDB_MEMORY_LIMIT", `${JSON.stringify(env.KAIVO_DUCKDB_MEMORY_LIMIT)} is not a size`, "Give a number and a unit, such as 1GB or 512MB (without quotes), or unset it for Kaivo's defaults.");
  }
  return set ? { sync: set, queries: set } : { sync: "256MB", queries: undefined };
}

/** A size as DuckDB's memory_limit takes it, in the units BYTES_PER_UNIT knows. */
const SIZE = new RegExp(`^\\d+(\\.\\d+)?\\s*(${Object.keys(BYTES_PER_UNIT).join("|")})$`, "i");

/**
 * The WAL size at which DuckDB checkpoints: a quarter of its memory limit, 16 MB at least. Rows
 * committed since the last checkpoint stay in DuckDB's buffer pool; once they outgrow its limit they
 * go out to temporary files and back, and a sync crawls (100k users, 128MB limit: at a 512MB
 * threshold not done after 400 s; at 16MB, 27 s). Checkpointing more often costs little: at 256MB,
 * thresholds of 16, 64 and 512MB gave 23-25 s alike.
 */
export function checkpointThreshold(memoryLimit: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?I?B)\s*$/i.exec(memoryLimit);
  const bytes = m ? Number(m[1]) * BYTES_PER_UNIT[m[2]!.toUpperCase()]! : 256e6;
  return `${Math.max(16, Math.floor(bytes / 4 / 1e6))}MB`;
}

/**
 * DuckDB's allocator keeps freed memory cached per thread (up to 128 MiB per task by default):
 * memory duckdb_memory() does not count and the process keeps. Its background thread hands idle
 * caches back to the system between statements. bench/sync.mjs, peak RSS without and with it:
 * 801 and 681 MB at 100k users (in the same time), 943 and 798 MB at 1M. Lowering the flush
 * thresholds to 16 MB as well took the 1M peak to 675 MB but cost 10 s more CPU at 100k, and the
 * 50 ms sync went from 1.07 to 1.25 times its floor.
 */
const ALLOCATOR_OPTIONS = { allocator_background_threads: "true" };

/**
 * Nothing leaves the machine: DuckDB would otherwise download an extension a statement needs (a
 * `https://` path asks for httpfs). The ones Kaivo uses (json, icu, parquet) are built in.
 */
const NO_EXTENSION_DOWNLOADS = { autoinstall_known_extensions: "false", autoload_known_extensions: "false" };

/**
 * A read-only handle (`kaivo sql`, `check`, `state show`) reads the warehouse and nothing else: no
 * other file read or written (COPY ... TO, read_text), no extension installed. Once set, a
 * statement cannot set it back.
 */
const WAREHOUSE_ONLY = "SET enable_external_access = false";

/** The embedded warehouse file is held open by another process. */
export class WarehouseLockedError extends KaivoError {
  constructor(path: string, detail: string) {
    super("KAIVO_WAREHOUSE_LOCKED", "config", `The DuckDB warehouse ${path} is in use by another process (${detail}).`, {
      hint: "Another kaivo command (a run, or `kaivo sql`) has it open; wait for it to finish.",
    });
  }
}

/** DuckDB cannot open the warehouse file: its folder is missing, it is a folder, not writable, or not a DuckDB file. */
export class WarehouseUnopenableError extends KaivoError {
  /** `configuredAt`: where the path was given (a config field or a flag), named first. */
  constructor(path: string, reason: string, configuredAt: string | undefined) {
    super("KAIVO_WAREHOUSE_UNOPENABLE", "config", `${configuredAt ? `${configuredAt}: cannot` : "Cannot"} open the DuckDB warehouse ${path}: ${reason}`, {
      hint: "Give the path of a DuckDB file (or of one to create) in a folder that exists and that you can write to.",
    });
  }
}

/** Whether `path` is a DuckDB database file (its header says DUCK), or nothing yet: no file, an empty one, a folder (DuckDB names that itself), or `:memory:`. */
function isDuckDbFileOrNone(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return true;
  }
  try {
    const header = Buffer.alloc(12);
    const read = readSync(fd, header, 0, 12, 0);
    return read === 0 || header.toString("latin1", 8, 12) === "DUCK";
  } catch {
    return true;
  } finally {
    closeSync(fd);
  }
}

/** The statements one hold of the connection runs (see DuckDbHandle.exclusive). */
export interface DuckDbSession {
  /** Rows as JavaScript values (BIGINT as bigint, timestamps as Date). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Runs the statements in one transaction, rolled back if one fails, then hands each its outcome. */
  transaction(statements: readonly CommitStatement[]): Promise<void>;
}

/**
 * One DuckDB file opened once per process, with every statement serialised through one connection
 * (DuckDB allows one writing process per file; toolchain-notes section 4). The connection lives on
 * a worker thread (duckdb-worker.ts): a sync keeps the main thread busy with pages, and each
 * statement's completion would otherwise wait for it (in a 100k-user sync on the main thread, 348
 * small statements took 28 ms each on average, 9.7 s in all, nearly all of it waiting).
 */
export class DuckDbHandle {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<number, { resolve: (outputs: StatementOutput[]) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stopped: Error | undefined;
  /** What DuckDB's settings are sized for (useSettingsFor); a file opens sized for queries. */
  private work: "sync" | "queries" = "queries";

  private constructor(
    readonly path: string,
    private readonly limits: MemoryLimits,
    private readonly worker: Worker,
  ) {
    worker.on("message", (reply: DuckDbReply) => this.settle(reply));
    worker.on("error", (error) => this.stop(error));
    worker.on("exit", (code) => this.stop(new Error(`DuckDB's worker thread exited (code ${code})`)));
    // Kept alive only while a script is under way: an idle open file does not hold the process open.
    worker.unref();
  }

  /** `configuredAt`: where `path` was given (e.g. "kaivo.json at /warehouse/path"), for the error when it cannot be opened. */
  /** `readOnly`: statements that write are refused, and other readers may have the file open too. */
  static async open(path: string, configuredAt?: string, { readOnly = false }: { readOnly?: boolean } = {}): Promise<DuckDbHandle> {
    const limits = memoryLimits();
    // DuckDB opens a CSV, JSON or Parquet file as an in-memory database with a view over it: a run
    // into it would report success and keep nothing.
    if (!isDuckDbFileOrNone(path)) throw new WarehouseUnopenableError(path, "it is not a DuckDB database file", configuredAt);
    const data: DuckDbWorkerData = {
      path,
      options: {
        ...(readOnly ? { access_mode: "READ_ONLY" } : {}),
        threads: String(QUERY_THREADS),
        ...(limits.queries ? { memory_limit: limits.queries } : {}),
        checkpoint_threshold: checkpointThreshold(limits.sync),
        ...ALLOCATOR_OPTIONS,
        ...NO_EXTENSION_DOWNLOADS,
      },
      setup: ["SET TimeZone = 'UTC'", ...(readOnly ? [WAREHOUSE_ONLY] : [])],
    };
    const worker = new Worker(siblingWorkerScript(import.meta.url, "duckdb-worker"), { workerData: data });
    const opened = await new Promise<DuckDbOpened>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (!opened.opened) {
      await worker.terminate();
      if (/Could not set lock|Conflicting lock/i.test(opened.message)) {
        throw new WarehouseLockedError(path, /PID \d+/.exec(opened.message)?.[0] ?? "lock held");
      }
      const io = /^IO Error: (.*)$/s.exec(opened.message);
      // 'Cannot open file "<path>": No such file or directory' says the path twice; the reason after it is enough.
      if (io) throw new WarehouseUnopenableError(path, (/^[^"]*"[^"]*": (.+)$/s.exec(io[1]!)?.[1] ?? io[1]!).trim(), configuredAt);
      throw new Error(opened.message);
    }
    return new DuckDbHandle(path, limits, worker);
  }

  /** DuckDB's memory_limit in effect, named in the error when a statement runs out of it. */
  get memoryLimit(): string {
    return this.limits[this.work] ?? DUCKDB_DEFAULT_LIMIT;
  }

  /** Sizes DuckDB's thread pool and memory limit for a sync, or for queries and models. */
  async useSettingsFor(work: "sync" | "queries"): Promise<void> {
    const limit = this.limits[work];
    await this.run(`SET threads = ${work === "sync" ? SYNC_THREADS : QUERY_THREADS}`);
    await this.run(limit ? `SET memory_limit = ${quoteDuckDbString(limit)}` : "RESET memory_limit");
    this.work = work;
  }

  /** Runs `work` with exclusive use of the connection. */
  exclusive<T>(work: (session: DuckDbSession) => Promise<T>): Promise<T> {
    const session: DuckDbSession = {
      query: async (sql) => (await this.script([{ sql, result: "rows" }], false))[0] as Record<string, unknown>[],
      transaction: async (statements) => {
        const outputs = await this.script(
          statements.map(({ sql, onRows, onRowsChanged }) => ({ sql, result: onRows ? "rows" : onRowsChanged ? "changed" : "none" })),
          true,
        );
        statements.forEach((statement, i) => {
          const output = outputs[i];
          if (statement.onRows) statement.onRows(output as Record<string, unknown>[]);
          else statement.onRowsChanged?.(output as number);
        });
      },
    };
    const result = this.queue.then(() => work(session));
    this.queue = result.catch(() => undefined);
    return result;
  }

  run(sql: string): Promise<void> {
    return this.exclusive(async () => {
      await this.script([{ sql, result: "none" }], false);
    });
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.exclusive((session) => session.query(sql));
  }

  /**
   * Rows as JSON-ready values, exact to the microsecond: timestamps as ISO strings, integers as
   * numbers when they fit (as strings otherwise), structs and lists as objects and arrays, JSON as text.
   */
  queryJson(sql: string): Promise<Record<string, unknown>[]> {
    return this.exclusive(async () => (await this.script([{ sql, result: "json" }], false))[0] as Record<string, unknown>[]);
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.stopped) return;
    const exited = new Promise((resolve) => this.worker.once("exit", resolve));
    this.worker.ref();
    this.worker.postMessage("close");
    await exited;
  }

  /** Sends a script to the worker; its outputs, one per statement, or DuckDB's error. */
  private script(statements: readonly DuckDbStatement[], transaction: boolean): Promise<StatementOutput[]> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    const message: DuckDbScript = { id, statements, transaction };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage(message);
    });
  }

  private settle(reply: DuckDbReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiter.resolve(reply.outputs);
    else waiter.reject(new Error(reply.message));
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
