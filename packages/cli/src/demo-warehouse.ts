import { ConfigError, DuckDbHandle, WarehouseLockedError, type KaivoConfig } from "@kaivo/engine";
import { existsSync } from "node:fs";

/** The table that marks a DuckDB file as the demo's own: the next demo may replace that file, and no sync writes to it. */
export const DEMO_MARKER = "_kaivo_demo";

/** Whether the DuckDB file at `path` is one kaivo demo wrote (false for any other file, DuckDB or not). */
export async function isDemoWarehouse(path: string): Promise<boolean> {
  let db: DuckDbHandle;
  try {
    db = await DuckDbHandle.open(path, undefined, { readOnly: true });
  } catch (error) {
    if (error instanceof WarehouseLockedError) throw error;
    return false; // not a DuckDB file
  }
  try {
    return (await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = '${DEMO_MARKER}'`)).length > 0;
  } finally {
    await db.close();
  }
}

/**
 * The demo's file holds a simulated tenant (and `kaivo init`'s default path is the demo's too): a
 * tenant synced into it would mix with the simulated one, and the next demo would replace it.
 */
export async function refuseDemoWarehouse(config: KaivoConfig): Promise<void> {
  const warehouse = config.warehouse;
  if (warehouse.type !== "duckdb" || !existsSync(warehouse.path) || !(await isDemoWarehouse(warehouse.path))) return;
  throw new ConfigError(
    `${config.file} at /warehouse/path`,
    `${warehouse.path} holds the simulated tenant kaivo demo wrote; syncing tenant ${config.tenantId} into it would mix the two`,
    "Point warehouse.path at a file of its own (e.g. \"entraid.duckdb\"), or delete the demo's file if you no longer need it.",
  );
}
