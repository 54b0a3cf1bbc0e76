import { readFileSync } from "node:fs";
import { ConfigError, type GraphConfig, type KaivoConfig } from "./config/config.js";
import type { Destination } from "./destinations/destination.js";
import type { SyncEventListener } from "./events/sync-events.js";
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
  const caPem = config.graph.caFile ? readCaFile(config, config.graph.caFile) : undefined;
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

/**
 * The configured warehouse. `readOnly`: for a command that only reads; a DuckDB file then opens
 * beside other readers (an analyst's `kaivo sql`, a DuckDB shell) and on a read-only disk.
 */
export async function openDestination(config: KaivoConfig, { readOnly = false, onEvent }: { readOnly?: boolean; onEvent?: SyncEventListener } = {}): Promise<Destination> {
  switch (config.warehouse.type) {
    case "duckdb":
      return DuckDbDestination.open({ path: config.warehouse.path, schema: config.warehouse.schema, configuredAt: `${config.file} at /warehouse/path`, readOnly });
    case "bigquery": {
      if (config.warehouse.keyFile) requireKeyFile(config, config.warehouse.keyFile);
      // Loaded on demand: the Google client and auth library cost start-up time a DuckDB run need not pay.
      const { BigQueryDestination } = await import("./destinations/bigquery/bigquery-destination.js");
      return new BigQueryDestination({
        project: config.warehouse.project,
        dataset: config.warehouse.dataset,
        location: config.warehouse.location,
        keyFile: config.warehouse.keyFile,
        apiEndpoint: config.warehouse.apiEndpoint,
        ...(onEvent ? { onRetry: (retry) => onEvent({ type: "warehouse.retry", ...retry }) } : {}),
      });
    }
  }
}

/** Where a config's model views go: the DuckDB schema or BigQuery dataset it names. */
export function modelSchemaOf(config: KaivoConfig): string {
  return config.warehouse.type === "duckdb" ? config.warehouse.modelsSchema : config.warehouse.modelsDataset;
}

/** The extra CA, which must be PEM: another file was taken silently, and every request then failed as untrusted. */
function readCaFile(config: KaivoConfig, path: string): string {
  const pem = readConfiguredFile(config, "/graph/caFile", path);
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new ConfigError(`${config.file} at /graph/caFile`, `${path} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line)`, "Give the CA certificate in PEM form, as `kaivo simulate` prints it, or leave graph.caFile out for the system's CAs.");
  }
  return pem;
}

/** A file the config names, read whole; one that cannot be read is an error naming the field. */
function readConfiguredFile(config: KaivoConfig, pointer: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`${config.file} at ${pointer}`, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * Found before the first BigQuery call, which would fail deep in Google's auth library. The
 * contents are a private key: the error never quotes them (JSON.parse's message would).
 */
function requireKeyFile(config: KaivoConfig, path: string): void {
  const text = readConfiguredFile(config, "/warehouse/keyFile", path);
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    key = undefined;
  }
  if (typeof key !== "object" || key === null || typeof (key as { type?: unknown }).type !== "string") {
    throw new ConfigError(`${config.file} at /warehouse/keyFile`, `${path} is not a Google credentials file (JSON with a "type", such as a service-account key)`, "Download a JSON key for the service account, or leave keyFile out to use Application Default Credentials.");
  }
}
