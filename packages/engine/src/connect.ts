import { readFileSync } from "node:fs";
import { ConfigError, type GraphConfig, type KaivoConfig } from "./config/config.js";
import type { Destination } from "./destinations/destination.js";
import { DuckDbDestination } from "./destinations/duckdb/duckdb-destination.js";
import { GraphClient, RequestBudget, type GraphEventListener, type RateLimit, type ThrottleClass } from "./graph/index.js";

export interface GraphConnectionOptions {
  onEvent?: GraphEventListener;
  /** Overrides of the pacing limits (tests and benchmarks against the simulator). */
  rateLimits?: Partial<Record<ThrottleClass, RateLimit>>;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

/** The Graph client for a config: MSAL with the client secret, undici with the configured CA. */
export function connectGraph(config: GraphConfig, clientSecret: string, options: GraphConnectionOptions = {}): GraphClient {
  let caPem: string | undefined;
  if (config.graph.caFile) {
    try {
      caPem = readFileSync(config.graph.caFile, "utf8");
    } catch (error) {
      throw new ConfigError(`${config.file} at /graph/caFile`, `cannot read ${config.graph.caFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  const limits = { ...(config.graph.resourceUnitsPer10s ? { directory: { limit: config.graph.resourceUnitsPer10s, windowMs: 10_000 } } : {}), ...options.rateLimits };
  const budget = new RequestBudget({ limits, ...(config.graph.maxConcurrency ? { maxConcurrency: config.graph.maxConcurrency } : {}) });
  return new GraphClient({
    tenantId: config.tenantId,
    clientId: config.clientId,
    clientSecret,
    budget,
    ...(config.graph.baseUrl ? { graphBaseUrl: config.graph.baseUrl } : {}),
    ...(config.graph.loginUrl ? { loginBaseUrl: config.graph.loginUrl } : {}),
    ...(caPem ? { caPem } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
}

/** The configured warehouse. */
export async function openDestination(config: KaivoConfig): Promise<Destination> {
  switch (config.warehouse.type) {
    case "duckdb":
      return DuckDbDestination.open({ path: config.warehouse.path, schema: config.warehouse.schema, configuredAt: `${config.file} at /warehouse/path` });
    case "bigquery": {
      // Loaded on demand: the Google client and auth library cost start-up time a DuckDB run need not pay.
      const { BigQueryDestination } = await import("./destinations/bigquery/bigquery-destination.js");
      return new BigQueryDestination({
        project: config.warehouse.project,
        dataset: config.warehouse.dataset,
        location: config.warehouse.location,
        keyFile: config.warehouse.keyFile,
        apiEndpoint: config.warehouse.apiEndpoint,
      });
    }
  }
}

/** Where a config's model views go: the DuckDB schema or BigQuery dataset it names. */
export function modelSchemaOf(config: KaivoConfig): string {
  return config.warehouse.type === "duckdb" ? config.warehouse.modelsSchema : config.warehouse.modelsDataset;
}
