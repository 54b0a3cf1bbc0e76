import { KaivoError } from "@kaivo/codegen";

/** The config file after validation, with defaults and environment applied. */
export interface KaivoConfig {
  /** Absolute path of the file it came from (or "<defaults>"). */
  file: string;
  tenantId: string;
  clientId: string;
  userId: string | undefined;
  graph: { baseUrl: string | undefined; loginUrl: string | undefined; caFile: string | undefined; maxConcurrency: number | undefined; resourceUnitsPer10s: number | undefined };
  /** Selected tables with their columns (undefined = all declared), or undefined for the defaults. */
  tables: Record<string, { columns: string[] | undefined }> | undefined;
  sync: { batchRows: number | undefined; concurrency: number | undefined };
  warehouse: DuckDbWarehouseConfig | BigQueryWarehouseConfig;
}

export interface DuckDbWarehouseConfig {
  type: "duckdb";
  path: string;
  schema: string;
  modelsSchema: string;
}

export interface BigQueryWarehouseConfig {
  type: "bigquery";
  project: string;
  dataset: string;
  modelsDataset: string;
  location: string;
  keyFile: string | undefined;
  apiEndpoint: string | undefined;
}

/** A problem with the config file, a flag or an environment variable. Nothing has been written. */
export class ConfigError extends KaivoError {
  constructor(
    readonly where: string,
    message: string,
    hint?: string,
  ) {
    super("KAIVO_CONFIG_INVALID", "config", `${where}: ${message}`, hint === undefined ? {} : { hint });
  }
}
