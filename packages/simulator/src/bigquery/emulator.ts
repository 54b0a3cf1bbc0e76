import type { AddressInfo } from "node:net";
import { Catalog } from "./catalog/catalog.js";
import { Database } from "./engine/database.js";
import { invalidQuery } from "./errors.js";
import { FaultRegistry } from "./faults/fault-control.js";
import type { LoggedRequest } from "./http/request-log.js";
import { createEmulatorServer } from "./http/server.js";
import { JobStore } from "./jobs/job-store.js";
import { jobSummary } from "./jobs/job-summary.js";
import { plainRows } from "./jobs/plain-rows.js";
import { pageRows } from "./jobs/query-result.js";
import { runScript } from "./jobs/run-script.js";
import type { EmulatorServices } from "./services.js";
import { translateScript } from "./sql/translate-statement.js";
import { SqlTranslationError } from "./sql/translation-error.js";
import type { BigQueryEmulator, BigQueryEmulatorOptions } from "./types.js";

/** Start the BigQuery REST emulator on 127.0.0.1 (plain HTTP), backed by DuckDB. */
export async function startBigQueryEmulator(options: BigQueryEmulatorOptions = {}): Promise<BigQueryEmulator> {
  const projectId = options.projectId ?? "kaivo-emulator";
  const location = options.location ?? "US";
  const db = await Database.open(options.databaseFile);
  const services: EmulatorServices = {
    projectId,
    location,
    db,
    catalog: new Catalog(projectId, location),
    faults: new FaultRegistry(options.random),
    jobs: new JobStore(),
    baseUrl: "",
    settings: {
      defaultPageSize: options.defaultPageSize ?? 10_000,
      clusterBlockBytes: options.clusterBlockBytes ?? 64 * 1024 * 1024,
      maxWaitMs: options.maxWaitMs ?? 10_000,
      now: Date.now,
    },
  };
  await db.exclusive((connection) => services.catalog.sync(connection));
  const log: LoggedRequest[] = [];
  const server = createEmulatorServer(services, log);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  services.baseUrl = `http://127.0.0.1:${port}`;
  let closed = false;

  return {
    apiEndpoint: services.baseUrl,
    projectId,
    location,
    requests: log,
    faults: services.faults,
    jobs: () => services.jobs.all().map(jobSummary),
    clearRequests: () => {
      log.length = 0;
    },
    query: async (sql: string) => {
      let statements;
      try {
        statements = translateScript(sql, { projectId });
      } catch (error) {
        if (error instanceof SqlTranslationError) throw invalidQuery(error.message);
        throw error;
      }
      const outcome = await db.exclusive((connection) =>
        runScript(connection, services.catalog, statements, { projectId, location, clusterBlockBytes: services.settings.clusterBlockBytes }),
      );
      return plainRows(outcome.result.schema, pageRows(outcome.result, 0, outcome.result.values.length, { int64Timestamp: true }));
    },
    close: async () => {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
