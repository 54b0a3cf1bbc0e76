import { startGraphSimulator, type GraphSimulator, type GraphSimulatorOptions } from "@kaivo/simulator";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A simulated tenant plus a project folder whose kaivo.json points at it. */
export interface TestTenant {
  sim: GraphSimulator;
  dir: string;
  database: string;
  /** The environment a user would export: the simulator's client secret. */
  env: NodeJS.ProcessEnv;
  writeConfig(extra?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startTenant(options: GraphSimulatorOptions = {}, config: Record<string, unknown> = {}): Promise<TestTenant> {
  const sim = await startGraphSimulator({ users: 60, seed: 7, ...options });
  const dir = mkdtempSync(join(tmpdir(), "kaivo-e2e-"));
  const database = join(dir, "kaivo.duckdb");
  const writeConfig = (extra: Record<string, unknown> = {}) =>
    writeFileSync(
      join(dir, "kaivo.json"),
      JSON.stringify({
        tenantId: sim.tenantId,
        clientId: sim.clientId,
        userId: sim.userId,
        graph: { baseUrl: sim.graphBaseUrl, loginUrl: sim.authorityHost, caFile: sim.caFile },
        warehouse: { type: "duckdb", path: "kaivo.duckdb" },
        ...config,
        ...extra,
      }),
    );
  writeConfig();
  return {
    sim,
    dir,
    database,
    env: { AZURE_CLIENT_SECRET: sim.clientSecret },
    writeConfig,
    close: async () => {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
