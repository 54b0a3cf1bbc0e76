import type { DataTestDefinition, Materialization, ModelTarget } from "./types.js";

export type ModelStatus = "built" | "failed" | "skipped" | "rendered";
export type DataTestStatus = "passed" | "failed" | "error" | "skipped";

export interface DataTestResult {
  /** e.g. `not_null(user_id)`, `unique(group_id, member_id)`, or a SQL test's own name. */
  name: string;
  kind: DataTestDefinition["kind"];
  status: DataTestStatus;
  /** Number of failing rows (0 unless failed). */
  failures: number;
  /** Up to `sampleSize` failing rows, JSON-safe. */
  sample: Record<string, unknown>[];
  /** The SELECT returning the failing rows. */
  sql: string;
  seconds: number;
  /** Warehouse error when the test query itself failed (status "error"). */
  error?: string;
  /** Why it did not run (status "skipped"). */
  reason?: string;
  /** Skipped only because a table it reads is not synced (the config leaves it out): this does not fail the build. */
  awaitsSync?: boolean;
}

export interface ModelResult {
  name: string;
  file: string;
  materialized: Materialization;
  /** "rendered" in a dry run: the SQL was produced and nothing ran. */
  status: ModelStatus;
  seconds: number;
  /** The DROP run before the CREATE: the warehouse holds the model as the other kind (view or table). */
  drop?: string;
  /** The CREATE statement (absent when rendering failed). */
  sql?: string;
  error?: string;
  errorCode?: string;
  /** Why it did not run (status "skipped"): a table it reads is not synced, or an upstream model failed or was skipped. */
  reason?: string;
  /**
   * Skipped only because a table it reads, or one an upstream model reads, is not synced: the
   * config leaves that table out, so this does not fail the build.
   */
  awaitsSync?: boolean;
  tests: DataTestResult[];
}

export interface BuildResult {
  /** True when no model failed or was skipped (other than for a table not synced) and no data test failed or errored. */
  ok: boolean;
  dryRun: boolean;
  /** Views in the models' schema that no model file names (one deleted or renamed): left as they are. None on a dry run. */
  strayViews: string[];
  seconds: number;
  target: ModelTarget;
  models: ModelResult[];
}

/** What buildModels reports while it runs; the CLI renders these (the engine never prints). */
export type ModelEvent =
  | { type: "model.built"; model: string; file: string; materialized: Materialization; seconds: number; index: number; total: number }
  | { type: "model.failed"; model: string; file: string; error: string; seconds: number; index: number; total: number }
  | { type: "model.skipped"; model: string; file: string; reason: string; index: number; total: number }
  | { type: "model.tests.started"; model: string; tests: number }
  | { type: "model.test.passed"; model: string; test: string; seconds: number }
  | { type: "model.test.failed"; model: string; test: string; failures: number; sample: Record<string, unknown>[]; error?: string; seconds: number };
