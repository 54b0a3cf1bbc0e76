import type { Dialect, Materialization } from "./types.js";

/** The narrow warehouse port the model runner needs; one per dialect. */
export interface ModelExecutor {
  dialect: Dialect;
  /** Runs a statement that returns nothing useful (CREATE OR REPLACE ...). */
  execute(sql: string): Promise<void>;
  /** Runs a query; values must be JSON-safe (strings for 64-bit integers and timestamps are fine). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /**
   * Copies a view's rows into a temporary table, so that its data tests compute the view once
   * rather than once each (DuckDB; at 100k users one test of user_access_summary took 2-3.5 s).
   * Only DuckDB has it: BigQuery's temporary tables live in a session, which its executor does not open.
   */
  snapshot?(relation: string, name: string): Promise<ModelSnapshot>;
  /** The views and tables in the models' schema or dataset, by name: a model switched to the other kind replaces its old object. */
  existingKinds?(): Promise<Map<string, Materialization>>;
  /** Creates the models' schema or dataset when it is missing: before the first model is built, never on a dry run. */
  createSchema?(): Promise<void>;
  /**
   * Runs the statements in one transaction (DuckDB). BigQuery's transactions take no DDL on
   * permanent tables or views, so its executor has none: there they run one after the other.
   */
  executeInTransaction?(statements: readonly string[]): Promise<void>;
}

export interface ModelSnapshot {
  /** The temporary table, for the tests' {{self}}. */
  relation: string;
  drop(): Promise<void>;
}
