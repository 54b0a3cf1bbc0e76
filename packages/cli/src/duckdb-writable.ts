import { WarehouseUnopenableError, type KaivoConfig } from "@kaivo/engine";
import { accessSync, constants, existsSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Refuses a DuckDB warehouse a run could not write: the file, if it exists, and its folder, where
 * DuckDB writes its log beside it (a file writable in a read-only folder failed only at the first
 * commit, after every page had been fetched). Says DuckDB's words for the reason.
 */
export function requireWritableDuckDb(config: KaivoConfig): void {
  const { warehouse } = config;
  if (warehouse.type !== "duckdb") return;
  const paths = existsSync(warehouse.path) ? [warehouse.path, dirname(warehouse.path)] : [dirname(warehouse.path)];
  for (const path of paths) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const reasons: Record<string, string> = { ENOENT: "No such file or directory", EACCES: "Permission denied", ENOTDIR: "Not a directory", EROFS: "Read-only file system" };
      const code = (error as NodeJS.ErrnoException).code ?? "";
      throw new WarehouseUnopenableError(warehouse.path, reasons[code] ?? code, `${config.file} at /warehouse/path`);
    }
  }
}
