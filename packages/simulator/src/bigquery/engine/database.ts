import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/**
 * The emulator's DuckDB database. Every use goes through `exclusive`, which runs callers one at a time on the single
 * connection: scripts open transactions, and interleaving two HTTP requests' statements would mix them.
 */
export class Database {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(file: string | undefined): Promise<Database> {
    const instance = await DuckDBInstance.create(file ?? ":memory:", { threads: "2", autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    const connection = await instance.connect();
    // BigQuery TIMESTAMP is UTC; DuckDB TIMESTAMPTZ renders in the session zone.
    await connection.run("SET TimeZone = 'UTC'");
    return new Database(instance, connection);
  }

  exclusive<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.tail.then(() => fn(this.connection));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.tail;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
