import { configFromValues, connectGraph, openDestination, runSync, type RunSummary } from "@kaivo/engine";
import { Option, type Command } from "commander";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { outputMode, projectDeclarations } from "../command-context.js";
import type { CliIo } from "../io.js";
import { progressRenderer } from "../render/progress.js";
import { renderSummary } from "../render/summary.js";
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
    .option("--database <file>", "DuckDB file to create (replaced if it exists)", "kaivo.duckdb")
    .addOption(new Option("--warehouse <type>", "duckdb (a local file) or bigquery (the BigQuery emulator, in-process)").choices(["duckdb", "bigquery"]).default("duckdb"))
    .option("--json", "one JSON event per line")
    .action(async (flags: DemoFlags, command: Command) => {
      const json = flags.json || command.optsWithGlobals<{ json?: boolean }>().json;
      const summary = await demoCommand(io, { ...flags, ...(json ? { json } : {}) });
      io.setExitCode?.(summary.ok ? 0 : 1);
    });
}

export async function demoCommand(io: CliIo, flags: DemoFlags): Promise<RunSummary> {
  const declarations = projectDeclarations(io);
  const { startGraphSimulator, startBigQueryEmulator } = await import("@kaivo/simulator");
  const sim = await startGraphSimulator({ users: flags.users, seed: flags.seed });
  const emulator = flags.warehouse === "bigquery" ? await startBigQueryEmulator() : undefined;
  const path = resolve(io.cwd, flags.database);
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const config = configFromValues(
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
  );
  const mode = outputMode(io, flags.json);
  const progress = progressRenderer(io, mode);
  if (mode !== "json") io.out(`Simulated tenant: ${flags.users} users (seed ${flags.seed}) at ${sim.graphBaseUrl}\n`);
  const graph = connectGraph(config, sim.clientSecret, { onEvent: progress.onEvent });
  const destination = await openDestination(config);
  try {
    const summary = await runSync({ config, declarations, graph, destination, onEvent: progress.onEvent });
    progress.done();
    if (mode !== "json") {
      io.out(renderSummary(summary));
      io.out(emulator ? `\nThe BigQuery emulator ran ${emulator.jobs().length} jobs; it stops with the demo.\n` : `\nQuery it: npx kaivo sql --database ${flags.database} "SELECT count(*) FROM users"\n`);
    }
    return summary;
  } finally {
    await destination.close();
    await graph.close();
    await sim.close();
    await emulator?.close();
  }
}
