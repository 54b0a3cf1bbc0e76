import { startBigQueryEmulator, startGraphSimulator, type BigQueryEmulator, type GraphSimulator, type GraphSimulatorOptions } from "@kaivo/simulator";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDbHandle } from "@kaivo/engine";

export type WarehouseKind = "duckdb" | "bigquery";
export const WAREHOUSES: WarehouseKind[] = ["duckdb", "bigquery"];

/** A simulated tenant plus a project folder whose kaivo.json points at it and at one warehouse. */
export interface TestTenant {
  sim: GraphSimulator;
  warehouse: WarehouseKind;
  /** The BigQuery emulator, for bigquery tenants. */
  emulator: BigQueryEmulator | undefined;
  dir: string;
  /** The DuckDB file (duckdb tenants). */
  database: string;
  /** The environment a user would export: the simulator's client secret. */
  env: NodeJS.ProcessEnv;
  writeConfig(extra?: Record<string, unknown>): void;
  /** Runs SQL against the warehouse; `t("users")` names a synced table in its dialect. Rows JSON-friendly. */
  query(sql: (t: (table: string) => string) => string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function startTenant(options: GraphSimulatorOptions = {}, config: Record<string, unknown> = {}, warehouse: WarehouseKind = "duckdb"): Promise<TestTenant> {
  const sim = await startGraphSimulator({ users: 60, seed: 7, ...options });
  const emulator = warehouse === "bigquery" ? await startBigQueryEmulator() : undefined;
  const dir = mkdtempSync(join(tmpdir(), "kaivo-e2e-"));
  const database = join(dir, "kaivo.duckdb");
  const warehouseSection = emulator
    ? { type: "bigquery", project: emulator.projectId, dataset: "entraid", location: emulator.location, apiEndpoint: emulator.apiEndpoint }
    : { type: "duckdb", path: "kaivo.duckdb" };
  const writeConfig = (extra: Record<string, unknown> = {}) =>
    writeFileSync(
      join(dir, "kaivo.json"),
      JSON.stringify({
        tenantId: sim.tenantId,
        clientId: sim.clientId,
        userId: sim.userId,
        graph: { baseUrl: sim.graphBaseUrl, loginUrl: sim.authorityHost, caFile: sim.caFile },
        warehouse: warehouseSection,
        ...config,
        ...extra,
      }),
    );
  writeConfig();
  const query = async (sql: (t: (table: string) => string) => string) => {
    if (emulator) return emulator.query(sql((table) => `\`${emulator.projectId}.entraid.${table}\``));
    const db = await DuckDbHandle.open(database);
    try {
      return await db.queryJson(sql((table) => `"main"."${table}"`));
    } finally {
      await db.close();
    }
  };
  return {
    sim,
    warehouse,
    emulator,
    dir,
    database,
    env: { AZURE_CLIENT_SECRET: sim.clientSecret },
    writeConfig,
    query,
    close: async () => {
      await sim.close();
      await emulator?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
