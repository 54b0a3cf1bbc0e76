/** The two warehouses a model renders for. */
export type Dialect = "duckdb" | "bigquery";

/** Where models read synced tables from and where they are created. */
export interface ModelTarget {
  /** DuckDB schema (default "main") or BigQuery dataset holding the synced tables. */
  sourceSchema: string;
  /** DuckDB schema or BigQuery dataset the views and tables are created in. */
  modelSchema: string;
  /** BigQuery project; relations render as `project.dataset.table` when set, `dataset.table` otherwise. */
  project?: string;
  /**
   * Per synced table, the declared columns the config's selection leaves out, with their warehouse
   * types: `{{source}}` reads them as typed NULLs (lists as []), whether the table never had them
   * or keeps the values an earlier selection synced.
   */
  missingSourceColumns?: Readonly<Record<string, readonly MissingColumn[]>>;
  /**
   * Per synced table, the stored columns no declaration has any more (dropped, or renamed with
   * "x-kaivo-column"): `{{source}}` leaves them out, as a table synced anew would not have them.
   */
  undeclaredSourceColumns?: Readonly<Record<string, readonly string[]>>;
}

/** A declared column a synced table lacks, its SQL type in the warehouse's dialect, and the value it reads as (NULL, or [] for a list). */
export interface MissingColumn {
  name: string;
  sqlType: string;
  value: "NULL" | "[]";
  /** The table has the column, with values a sync no longer updates: they read as `value` too. */
  stored?: boolean;
}

export type Materialization = "view" | "table";

/** A data test on one column, as written in the front matter. */
export type ColumnTestConfig =
  | "unique"
  | "not_null"
  | { accepted_values: { values: (string | number | boolean)[] } }
  | { relationships: { to: string; field: string } };

/** A data test on the whole model, as written in the front matter. */
export type ModelTestConfig =
  | { unique: { columns: string[] } }
  | { name: string; description?: string; sql: string };

export interface ColumnConfig {
  description: string;
  tests?: ColumnTestConfig[];
}

/** A model's front matter after validation (the schema is in config-schema.ts). */
export interface ModelConfig {
  materialized: Materialization;
  description: string;
  columns: Record<string, ColumnConfig>;
  tests?: ModelTestConfig[];
}

/** One `{{ref}}` or `{{source}}` found by the parse pass, with the line it is on. */
export interface ModelInput {
  name: string;
  line: number | undefined;
}

/** A data test, normalised: every test returns the failing rows of one SELECT. */
export type DataTestDefinition =
  | { kind: "unique"; name: string; columns: string[] }
  | { kind: "not_null"; name: string; column: string }
  | { kind: "accepted_values"; name: string; column: string; values: (string | number | boolean)[] }
  | { kind: "relationships"; name: string; column: string; to: string; field: string }
  | {
      kind: "sql";
      name: string;
      description: string | undefined;
      template: string;
      /** What its template reads besides the model (recorded by the parse pass): other models, and synced tables. */
      reads?: { models: string[]; sources: string[] };
    };

/** One model file, parsed and validated, with the inputs the parse pass recorded. */
export interface ModelDefinition {
  /** File name without `.sql`; unique across the project. */
  name: string;
  /** Path shown in messages: relative to the parent of the models directory (`models/staging/stg_users.sql`). */
  file: string;
  absolutePath: string;
  /** First folder under the models directory (`staging`, `access_review`, `audit`), or "" at the top. */
  layer: string;
  config: ModelConfig;
  /** The template body, front matter replaced by blank lines so line numbers match the file. */
  template: string;
  refs: ModelInput[];
  sources: ModelInput[];
  /** Declared tables it reads that have not been synced, sorted: the model cannot be built yet. */
  unsyncedSources: string[];
  /** Tables it reads only when synced (`{{#if (sourceExists …)}}`) that are not, sorted: it builds without their data. */
  absentOptionalSources: string[];
  /** Distinct model names this model refs, sorted. */
  dependsOn: string[];
  tests: DataTestDefinition[];
  /** Models the tests read besides this one (relationships targets, refs in SQL tests). */
  testDependsOn: string[];
}

/** Every model of a project, with a topological build order (dependencies first). */
export interface ModelProject {
  modelsDir: string;
  /** Synced tables available to `{{source}}` and `{{sourceExists}}`. */
  sources: string[];
  models: ModelDefinition[];
  order: string[];
}
