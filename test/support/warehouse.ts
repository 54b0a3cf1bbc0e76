import { DuckDbHandle } from "@kaivo/engine";

/** Reads the DuckDB warehouse file a run wrote (opened and closed per call: the CLI needs the lock). */
export async function queryWarehouse(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDbHandle.open(path);
  try {
    return await db.queryJson(sql);
  } finally {
    await db.close();
  }
}

export async function tableRows(path: string, table: string, orderBy = "1"): Promise<Record<string, unknown>[]> {
  return queryWarehouse(path, `SELECT * FROM ${table} ORDER BY ${orderBy}`);
}
