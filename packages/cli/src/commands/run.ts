import type { TableDeclaration } from "@kaivo/codegen";
import { connectGraph, openDestination, runSync, selectPlans, type Destination, type GraphConfig, type RunSummary } from "@kaivo/engine";
import type { Command } from "commander";
import { join, relative } from "node:path";
import { graphCommandConfig, commandSecret, joinRepeated, loadProject, outputMode, refuseTablesNamedLikeModels, tablesFlag, type OutputMode } from "../command-context.js";
import { refuseDemoWarehouse } from "../demo-warehouse.js";
import { requireWritableDuckDb } from "../duckdb-writable.js";
import type { CliIo } from "../io.js";
import { progressRenderer } from "../render/progress.js";
import { renderSummary } from "../render/summary.js";

export interface RunFlags {
  config?: string;
  tables?: string;
  fullRefresh?: boolean;
  json?: boolean;
}

export function registerRunCommand(program: Command, io: CliIo): void {
  program
    .command("run")
    .description("Sync the selected tables from Microsoft Graph into the warehouse (incrementally where Graph allows)")
    .option("--config <file>", "config file", "kaivo.json")
    .option("--tables <names>", "comma-separated tables to sync (default: the config's selection)", joinRepeated)
    .option("--full-refresh", "ignore stored delta links and cursors; read everything again")
    .option("--json", "one JSON event per line, then the summary")
    .action(async (flags: RunFlags, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json;
      const summary = await syncCommand(io, { ...flags, ...(json ? { json } : {}) });
      io.setExitCode?.(summary.ok ? 0 : 1);
    });
}

/** Loads everything first (bad usage exits 2 before anything is written), then syncs. */
export async function syncCommand(io: CliIo, flags: RunFlags): Promise<RunSummary> {
  const { root, declarations } = loadProject(io, flags.config);
  const config = graphCommandConfig(io, flags.config, declarations);
  const secret = commandSecret(io);
  const tables = tablesFlag(flags.tables);
  // Selection problems are found before the warehouse is opened.
  const plans = selectPlans(declarations, config, tables);
  refuseTablesNamedLikeModels(root, plans.flatMap((p) => [p.declaration, ...p.relations.map((r) => r.declaration)]));
  await refuseDemoWarehouse(config);
  requireWritableDuckDb(config);
  return syncAndReport(io, { config, declarations, secret, mode: outputMode(io, flags.json), fullRefresh: flags.fullRefresh ?? false, ...(tables ? { tables } : {}) });
}

export interface SyncInput {
  config: GraphConfig;
  declarations: readonly TableDeclaration[];
  secret: string;
  mode: OutputMode;
  tables?: string[];
  fullRefresh?: boolean;
}

/**
 * One sync with progress and the summary, shared by `run` and `demo`. `afterSync` runs on the open
 * warehouse before it closes (the demo builds the models there); its result joins the summary's ok.
 */
export async function syncAndReport(io: CliIo, input: SyncInput, afterSync?: (destination: Destination) => Promise<boolean>): Promise<RunSummary> {
  const progress = progressRenderer(io, input.mode);
  const graph = connectGraph(input.config, input.secret, { onEvent: progress.onEvent });
  // Sign in before the warehouse is touched: rejected credentials are one error (exit 2, nothing
  // written), not the same failure for every table.
  let destination: Destination;
  try {
    await graph.acquireToken();
    destination = await openDestination(input.config, { onEvent: progress.onEvent });
  } catch (error) {
    await graph.close();
    throw error;
  }
  const interrupt = stopOnSignals(progress.stopping);
  try {
    const { config, declarations, tables, fullRefresh } = input;
    const summary = await runSync({ config, declarations, graph, destination, ...(tables ? { tables } : {}), fullRefresh: fullRefresh ?? false, onEvent: progress.onEvent, signal: interrupt.signal });
    progress.done();
    if (input.mode !== "json") io.out(renderSummary(summary));
    if (interrupt.exitCode !== undefined) {
      // A signal that came as the last tables finished stopped nothing: the run's own outcome stands.
      if (summary.tables.some((t) => t.status === "interrupted")) io.setExitCode?.(interrupt.exitCode);
      return summary;
    }
    const afterOk = afterSync ? await afterSync(destination) : true;
    return { ...summary, ok: summary.ok && afterOk };
  } finally {
    interrupt.dispose();
    await destination.close();
    await graph.close();
  }
}

/** SIGHUP too: a closed terminal or SSH session stops the run as Ctrl-C does, committing what it fetched. */
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/**
 * The first Ctrl-C, SIGTERM or SIGHUP asks the sync to stop: each table commits the pages it has
 * fetched and stops, and the run exits with 128 + the signal's number. A second one ends the
 * process at once by that signal's own default action, which loses nothing committed either (a
 * rerun resumes from the last checkpoint). process.exit instead could run DuckDB's teardown while
 * its thread was inside a statement, and abort the process (SIGABRT, a core dump).
 */
function stopOnSignals(announce: (signal: string) => void): { signal: AbortSignal; readonly exitCode: number | undefined; dispose: () => void } {
  const controller = new AbortController();
  let exitCode: number | undefined;
  const handlers = Object.entries(SIGNAL_EXIT_CODES).map(([name, code]) => {
    const handler = () => {
      if (exitCode !== undefined) {
        dispose();
        process.kill(process.pid, name);
        return;
      }
      exitCode = code;
      announce(name);
      controller.abort();
    };
    process.on(name, handler);
    return () => process.off(name, handler);
  });
  const dispose = () => handlers.forEach((off) => off());
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    dispose,
  };
}
