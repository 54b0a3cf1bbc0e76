import { ConfigError, configFromValues, DuckDbHandle, modelSchemaOf, requireGraphApp, type Destination, type KaivoConfig, type RunSummary } from "@kaivo/engine";
import { Option, type Command } from "commander";
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { loadProject, outputMode } from "../command-context.js";
import { DEMO_MARKER, isDemoWarehouse } from "../demo-warehouse.js";
import type { CliIo } from "../io.js";
import { buildCommand } from "./build.js";
import { syncAndReport } from "./run.js";
import { renderTable } from "../render/table.js";
import { parseCount } from "./simulate.js";

export interface DemoFlags {
  users: number;
  seed: number;
  database: string;
  warehouse: "duckdb" | "bigquery";
  json?: boolean;
}

export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command("demo")
    .description("Sync a simulated tenant (the Graph simulator, in-process) into a fresh local DuckDB file")
    .option("--users <n>", "users in the simulated tenant", parseCount, 2000)
    .option("--seed <s>", "seed of the simulated tenant", parseCount, 1)
    .option("--database <file>", "DuckDB file to create (an earlier demo's is replaced; any other file is refused)", "kaivo.duckdb")
    .addOption(new Option("--warehouse <type>", "duckdb (a local file) or bigquery (the BigQuery emulator, in-process)").choices(["duckdb", "bigquery"]).default("duckdb"))
    .option("--json", "one JSON event per line")
    .action(async (flags: DemoFlags, command: Command) => {
      const json = flags.json || command.optsWithGlobals<{ json?: boolean }>().json;
      if (flags.warehouse === "bigquery" && command.getOptionValueSource("database") === "cli") {
        throw new ConfigError("--database", "names a DuckDB file, but --warehouse bigquery syncs into the BigQuery emulator", "Leave out --database, or --warehouse for a DuckDB file.");
      }
      const summary = await demoCommand(io, { ...flags, ...(json ? { json } : {}) });
      io.setExitCode?.(summary.ok ? 0 : 1);
    });
}

export async function demoCommand(io: CliIo, flags: DemoFlags): Promise<RunSummary> {
  const project = loadProject(io, undefined);
  const { declarations } = project;
  const path = resolve(io.cwd, flags.database);
  if (flags.warehouse === "duckdb") await freshDemoWarehouse(path);
  const { startGraphSimulator, startBigQueryEmulator } = await import("@kaivo/simulator");
  const sim = await startGraphSimulator({ users: flags.users, seed: flags.seed });
  const emulator = flags.warehouse === "bigquery" ? await startBigQueryEmulator() : undefined;
  const config = requireGraphApp(
    configFromValues(
      {
        tenantId: sim.tenantId,
        clientId: sim.clientId,
        userId: sim.userId,
        graph: { baseUrl: sim.graphBaseUrl, loginUrl: sim.authorityHost, caFile: sim.caFile },
        // The demo tenant is licensed for sign-in activity, so the optional table is synced too.
        tables: Object.fromEntries(declarations.map((d) => [d.name, {}])),
        warehouse: emulator ? { type: "bigquery", project: emulator.projectId, dataset: "entraid", location: emulator.location, apiEndpoint: emulator.apiEndpoint } : { type: "duckdb", path },
      },
      io.cwd,
      {},
      declarations,
    ),
  );
  const mode = outputMode(io, flags.json);
  if (mode !== "json") io.out(`Simulated tenant: ${flags.users} users (seed ${flags.seed}) at ${sim.graphBaseUrl}\n`);
  try {
    return await syncAndReport(io, { config, declarations, secret: sim.clientSecret, mode }, async (destination) => {
      if (mode !== "json") io.out("\nBuilding the models…\n");
      const build = await buildCommand(io, destination, config, project, { ...(mode === "json" ? { json: true } : {}) });
      if (mode !== "json") {
        io.out(await globalAdministrators(destination, config));
        io.out(emulator ? `\nThe BigQuery emulator ran ${emulator.jobs().length} jobs; it stops with the demo.\n` : `\nQuery it: npx kaivo sql --database ${flags.database} "SELECT count(*) FROM users"\n`);
      }
      return build.ok;
    });
  } finally {
    await sim.close();
    await emulator?.close();
  }
}

/**
 * An empty DuckDB file at `path`, marked as the demo's. The file there is replaced only when an
 * earlier demo wrote it: a warehouse synced from a real tenant (the default ./kaivo.duckdb too)
 * or any other file is never deleted.
 */
async function freshDemoWarehouse(path: string): Promise<void> {
  if (existsSync(path)) {
    if (!(await isDemoWarehouse(path))) {
      throw new ConfigError("--database", `${path} exists and kaivo demo did not write it; the demo replaces only its own file`, "Pass --database <new file> (e.g. --database demo.duckdb), or delete that file yourself if you no longer need it.");
    }
    rmSync(path);
    rmSync(`${path}.wal`, { force: true });
  }
  const db = await DuckDbHandle.open(path, "--database");
  try {
    await db.run(`CREATE TABLE ${DEMO_MARKER} AS SELECT now() AS created_at`);
  } finally {
    await db.close();
  }
}

/** The demo's access-review answer: who holds Global Administrator, or can take it (an owner of a group that holds it), and how. */
async function globalAdministrators(destination: Destination, config: KaivoConfig): Promise<string> {
  const { executor, target } = await destination.modelExecutor(modelSchemaOf(config));
  const view = target.project ? `\`${target.project}.${target.modelSchema}.privileged_access\`` : `"${target.modelSchema}"."privileged_access"`;
  const rows = await executor.query(
    `SELECT principal_display_name AS holder, principal_type AS type, assignment_type AS how, via_group_display_name AS via_group, principal_account_enabled AS enabled FROM ${view} WHERE is_global_administrator ORDER BY assignment_type, principal_display_name`,
  );
  const cell = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  return `\nWho holds Global Administrator, or can take it as a group's owner, and how (view privileged_access):\n${renderTable(["HOLDER", "TYPE", "HOW", "VIA GROUP", "ENABLED"], rows.map((r) => [cell(r.holder), cell(r.type), cell(r.how), cell(r.via_group), cell(r.enabled)]))}`;
}
