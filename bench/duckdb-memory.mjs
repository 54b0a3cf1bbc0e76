// DuckDB alone, without Kaivo: the peak RSS of a process that merges wide rows from NDJSON files
// into a table, one transaction per file, as the sync's commits do (read_ndjson with explicit
// columns, MERGE by key, DuckDB's sync settings). It is the yardstick for the sync benchmark's
// memory figure: what the embedded warehouse itself costs, at each memory limit.
//
//   npm run build && node bench/duckdb-memory.mjs [--rows 200000] [--batch 20000] [--limits 256MB,128MB,96MB,64MB]
//
// The rows are synthetic: an id and 25 text columns, about 1.3 KB of JSON each. Each limit runs in
// a fresh process on a fresh database file; "baseline" is the process's RSS once DuckDB is open.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const COLUMNS = Array.from({ length: 25 }, (_, i) => `c${i}`);
const mb = (kb) => Math.round(kb / 1024);
const status = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync("/proc/self/status", "utf8"))[1]);

if (process.argv[2] === "--child") await child(process.argv[3], process.argv[4], Number(process.argv[5]));
else await main();

async function main() {
  const rows = Number(arg("rows", "200000"));
  const batch = Number(arg("batch", "20000"));
  const limits = arg("limits", "256MB,128MB,96MB,64MB").split(",");
  const dir = mkdtempSync(join(tmpdir(), "kaivo-duckdb-memory-"));
  try {
    const files = Math.ceil(rows / batch);
    for (let f = 0; f < files; f++) {
      let text = "";
      for (let i = f * batch; i < Math.min(rows, (f + 1) * batch); i++) {
        const id = `${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
        const row = { id, _synced: "2026-12-06T00:00:00Z" };
        for (const c of COLUMNS) row[c] = `${c} value for ${id} ${((i * 7919) % 1000003).toString(36)}`;
        text += `${JSON.stringify(row)}\n`;
      }
      writeFileSync(join(dir, `batch-${f}.ndjson`), text);
    }
    console.log(`${rows.toLocaleString("en")} rows in ${files} commits of ${batch.toLocaleString("en")}`);
    console.log("memory limit  baseline MB  peak RSS MB  seconds");
    for (const limit of limits) {
      const result = await new Promise((resolve) => {
        const p = spawn(process.execPath, [process.argv[1], "--child", dir, limit, String(files)], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        p.stdout.on("data", (d) => (out += d));
        p.stderr.on("data", (d) => (err += d));
        p.on("exit", (code) => resolve(code === 0 ? JSON.parse(out) : { error: /Out of Memory Error[^\n]*/.exec(err)?.[0] ?? err.trim().split("\n").at(-1) }));
      });
      console.log(`${limit.padEnd(13)} ${result.error ? `failed: ${result.error}` : `${String(result.baseline).padStart(11)}  ${String(result.peak).padStart(11)}  ${result.seconds.toFixed(1).padStart(7)}`}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(dir, limit, files) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const { checkpointThreshold, SYNC_THREADS } = await import("../packages/engine/dist/destinations/duckdb/duckdb-connection.js");
  const path = join(dir, `${limit}.duckdb`);
  // Kaivo's settings while syncing: its DuckDB threads, the allocator's background thread, checkpoints at a quarter of the limit.
  const instance = await DuckDBInstance.create(path, { threads: String(SYNC_THREADS), memory_limit: limit, checkpoint_threshold: checkpointThreshold(limit), allocator_background_threads: "true" });
  const connection = await instance.connect();
  const baseline = mb(status("VmRSS"));
  await connection.run(`CREATE TABLE wide (id VARCHAR, ${COLUMNS.map((c) => `${c} VARCHAR`).join(", ")}, _synced TIMESTAMP)`);
  const spec = [["id", "VARCHAR"], ...COLUMNS.map((c) => [c, "VARCHAR"]), ["_synced", "TIMESTAMP"]].map(([c, t]) => `'${c}': '${t}'`).join(", ");
  const started = Date.now();
  for (let f = 0; f < files; f++) {
    const source = `read_ndjson(['${join(dir, `batch-${f}.ndjson`)}'], columns = {${spec}}, format = 'newline_delimited')`;
    await connection.run("BEGIN");
    await connection.run(
      `MERGE INTO wide AS t USING ${source} AS s ON t.id = s.id WHEN MATCHED THEN UPDATE SET ${COLUMNS.map((c) => `${c} = s.${c}`).join(", ")}, _synced = s._synced WHEN NOT MATCHED THEN INSERT VALUES (s.id, ${COLUMNS.map((c) => `s.${c}`).join(", ")}, s._synced)`,
    );
    await connection.run("COMMIT");
  }
  connection.closeSync();
  instance.closeSync();
  process.stdout.write(JSON.stringify({ baseline, peak: mb(status("VmHWM")), seconds: (Date.now() - started) / 1000 }));
}
