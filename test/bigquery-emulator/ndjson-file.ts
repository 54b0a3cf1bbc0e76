import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Write NDJSON rows (objects, or raw lines) to a temp file for table.load(); call cleanup() when done. */
export function ndjsonFile(rows: readonly (object | string)[]): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "bq-emulator-test-"));
  const path = join(dir, "rows.json");
  writeFileSync(path, rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
