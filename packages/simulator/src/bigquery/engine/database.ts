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
    // A cap well above what the tests and the demo need: without one, DuckDB may take 80% of the
    // machine's memory (a correlated data test over the recursive membership view, at 20k users,
    // grew past 20 GB), and the emulator would take the machine down rather than fail the query.
    const instance = await DuckDBInstance.create(file ?? ":memory:", { threads: "2", memory_limit: "4GB" });
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
