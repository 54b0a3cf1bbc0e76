import { DuckDbHandle, WarehouseLockedError } from "@kaivo/engine";

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
