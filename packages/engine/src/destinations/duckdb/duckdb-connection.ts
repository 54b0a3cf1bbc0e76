import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { KaivoError } from "@kaivo/codegen";

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
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<DuckDbHandle> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, { threads: "2" });
    } catch (error) {
      const message = (error as Error).message;
      if (/Could not set lock|Conflicting lock/i.test(message)) {
        throw new WarehouseLockedError(path, /PID \d+/.exec(message)?.[0] ?? "lock held");
      }
      throw error;
    }
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return new DuckDbHandle(path, instance, connection);
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

  async close(): Promise<void> {
    await this.queue;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
