import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { KaivoError } from "@kaivo/codegen";
import { availableParallelism } from "node:os";

/** DuckDB's threads for queries and models (few: the memory limit is shared by them). */
const QUERY_THREADS = 2;
/**
 * While a sync runs, one core stays with the JavaScript thread that fetches, parses and validates.
 * A DuckDB thread competing for it costs more than it adds (bench/sync.mjs on two cores: one DuckDB
 * thread instead of two took the 100k-user sync from 28-32 s to 23-27 s, and its CPU from 44-50 s to 35 s).
 */
const SYNC_THREADS = Math.max(1, Math.min(QUERY_THREADS, availableParallelism() - 1));

/** The embedded warehouse file is held open by another process. */
export class WarehouseLockedError extends KaivoError {
  constructor(path: string, detail: string) {
    super("KAIVO_WAREHOUSE_LOCKED", "config", `The DuckDB warehouse ${path} is in use by another process (${detail}).`, {
      hint: "Another kaivo command (a run, or `kaivo sql`) has it open; wait for it to finish.",
    });
  }
}

/**
 * One DuckDB file opened once per process, with every statement serialised through one connection
 * (DuckDB allows one writing process per file; toolchain-notes section 4).
 */
export class DuckDbHandle {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    /** DuckDB's memory_limit for this file, named in the error when a statement runs out of it. */
    readonly memoryLimit: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<DuckDbHandle> {
    const memoryLimit = process.env.KAIVO_DUCKDB_MEMORY_LIMIT ?? "256MB";
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, {
        threads: String(QUERY_THREADS),
        // DuckDB's buffer pool may otherwise grow to 80% of RAM; a sync streams batches and needs little.
        memory_limit: memoryLimit,
        // Every commit of a sync writes tens of thousands of rows: at the default 16 MB of WAL each
        // one would also checkpoint. Checkpoints then happen every few hundred MB and at close.
        checkpoint_threshold: "512MB",
      });
    } catch (error) {
      const message = (error as Error).message;
      if (/Could not set lock|Conflicting lock/i.test(message)) {
        throw new WarehouseLockedError(path, /PID \d+/.exec(message)?.[0] ?? "lock held");
      }
      throw error;
    }
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return new DuckDbHandle(path, memoryLimit, instance, connection);
  }

  /** Sizes DuckDB's thread pool for a sync, or for queries and models. */
  useThreadsFor(work: "sync" | "queries"): Promise<void> {
    return this.run(`SET threads = ${work === "sync" ? SYNC_THREADS : QUERY_THREADS}`);
  }

  /** Runs `work` with exclusive use of the connection. */
  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => work(this.connection));
    this.queue = result.catch(() => undefined);
    return result;
  }

  run(sql: string): Promise<void> {
    return this.exclusive(async (c) => {
      await c.run(sql);
    });
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.exclusive(async (c) => (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]);
  }

  /**
   * Rows as JSON-ready values, exact to the microsecond: timestamps as ISO strings, integers as
   * numbers when they fit (as strings otherwise), structs and lists as objects and arrays, JSON as text.
   */
  queryJson(sql: string): Promise<Record<string, unknown>[]> {
    return this.exclusive(async (c) => {
      const reader = await c.runAndReadAll(sql);
      const types = reader.columnTypes().map((t) => t.toString());
      const names = reader.columnNames();
      return reader.getRowObjectsJson().map((row) => {
        const out: Record<string, unknown> = {};
        names.forEach((name, i) => (out[name] = plainValue(row[name], types[i] ?? "")));
        return out;
      });
    });
  }

  async close(): Promise<void> {
    await this.queue;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

const INTEGER_TYPES = new Set(["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"]);

function plainValue(value: unknown, type: string): unknown {
  if (typeof value !== "string") return value;
  if (INTEGER_TYPES.has(type)) return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (type.startsWith("TIMESTAMP")) return isoTimestamp(value);
  return value;
}

/** DuckDB's `2024-05-06 07:08:09.123456+00` as `2024-05-06T07:08:09.123456Z`. */
export function isoTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:\+00(?::00)?)?$/.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}
