import type { Dialect } from "./types.js";

/** The narrow warehouse port the model runner needs; one per dialect. */
export interface ModelExecutor {
  dialect: Dialect;
  /** Runs a statement that returns nothing useful (CREATE OR REPLACE ...). */
  execute(sql: string): Promise<void>;
  /** Runs a query; values must be JSON-safe (strings for 64-bit integers and timestamps are fine). */
  query(sql: string): Promise<Record<string, unknown>[]>;
}
