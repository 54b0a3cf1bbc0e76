// BigQuery cost figures: a first sync of a simulated tenant into the BigQuery emulator (through the
// real client), then an incremental sync after 1% of the users changed. Prints, per sync, the
// number of BigQuery jobs, the bytes loaded, and the emulator's estimate of bytes processed and
// billed by the MERGEs into users and the audit log (bytes they read of the target; BigQuery bills
// q + t, section 2.3).
//
//   npm run build && node bench/bigquery.mjs [--users 100000]
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const i = process.argv.indexOf("--users");
const users = i > 0 ? Number(process.argv[i + 1]) : 100_000;

const engine = await import("../packages/engine/dist/index.js");
const { loadDeclarations } = await import("../packages/codegen/dist/index.js");
const { startGraphSimulator, startBigQueryEmulator } = await import("../packages/simulator/dist/index.js");
const declarations = loadDeclarations(join(root, "tables"));
const sim = await startGraphSimulator({ users, seed: 5, throttling: false });
const emulator = await startBigQueryEmulator();
const dir = mkdtempSync(join(tmpdir(), "kaivo-bq-bench-"));
const config = engine.configFromValues(
  {
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    userId: sim.userId,
    graph: { baseUrl: sim.graphBaseUrl, loginUrl: sim.authorityHost, caFile: sim.caFile },
    tables: Object.fromEntries(declarations.map((d) => [d.name, {}])),
    sync: { batchRows: 5000 },
    warehouse: { type: "bigquery", project: emulator.projectId, dataset: "entraid", location: emulator.location, apiEndpoint: emulator.apiEndpoint },
  },
  dir,
  {},
  declarations,
);
const unpaced = Object.fromEntries(engine.THROTTLE_CLASSES.map((c) => [c, { limit: 1_000_000, windowMs: 1_000 }]));

async function sync(label) {
  const before = emulator.jobs().length;
  const graph = engine.connectGraph(config, sim.clientSecret, { rateLimits: unpaced });
  const destination = await engine.openDestination(config);
  const started = performance.now();
  const summary = await engine.runSync({ config, declarations, graph, destination });
  const seconds = (performance.now() - started) / 1000;
  await graph.close();
  if (!summary.ok) throw new Error(JSON.stringify(summary.tables.filter((t) => t.status !== "succeeded")));
  const jobs = emulator.jobs().slice(before).filter((j) => !j.parentJobId);
  const children = emulator.jobs().slice(before).filter((j) => j.parentJobId);
  const mb = (b) => (b / 1048576).toFixed(1);
  const sum = (xs, f) => xs.reduce((n, x) => n + (f(x) ?? 0), 0);
  const users = summary.tables.find((t) => t.table === "users");
  console.log(`${label}: ${seconds.toFixed(1)} s; users inserted ${users.inserted}, updated ${users.updated}`);
  console.log(`  BigQuery jobs: ${jobs.length} (${jobs.filter((j) => j.type === "load").length} loads, ${jobs.filter((j) => j.type === "query").length} queries/scripts)`);
  console.log(`  bytes loaded: ${mb(sum(jobs, (j) => j.bytesLoaded))} MB`);
  for (const table of ["users", "directoryaudits"]) {
    const merges = children.filter((j) => j.statementType === "MERGE" && new RegExp(`\\.entraid\\.${table}\``).test(j.sql ?? ""));
    const targetReads = merges.map((j) => j.tableReads.find((r) => new RegExp(`(^|\\.)${table}$`).test(r.table)));
    console.log(`  MERGE into ${table}: ${merges.length} statements; bytes processed ${mb(sum(merges, (j) => j.totalBytesProcessed))} MB, billed ${mb(sum(merges, (j) => j.totalBytesBilled))} MB; target read ${mb(sum(targetReads, (r) => r?.bytes))} MB, clustered block share scanned ${targetReads.map((r) => (r?.scannedFraction ?? 1).toFixed(3)).join(", ")}`);
  }
}

await sync(`first sync, ${users.toLocaleString("en")} users`);
const ids = [...sim.control.objects("users")].map((u) => u.id);
const changed = Math.round(ids.length / 100);
for (let k = 0; k < changed; k++) sim.control.updateUser(ids[Math.floor((k * ids.length) / changed)], { jobTitle: `Changed ${k}` });
await sync(`incremental sync after ${changed} users (1%) changed`);
await emulator.close();
await sim.close();
rmSync(dir, { recursive: true, force: true });
