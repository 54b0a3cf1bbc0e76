import { connectGraph, openDestination, runSync, selectPlans, type RunSummary } from "@kaivo/engine";
import type { Command } from "commander";
import { commandConfig, commandSecret, outputMode, projectDeclarations } from "../command-context.js";
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
    .option("--tables <names>", "comma-separated tables to sync (default: the config's selection)")
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
  const declarations = projectDeclarations(io);
  const config = commandConfig(io, flags.config, declarations);
  const secret = commandSecret(io);
  const tables = flags.tables?.split(",").map((t) => t.trim()).filter(Boolean);
  const mode = outputMode(io, flags.json);
  const progress = progressRenderer(io, mode);
  const graph = connectGraph(config, secret, { onEvent: progress.onEvent });
  // Selection problems are found before the warehouse is opened.
  selectPlans(declarations, config, tables);
  const destination = await openDestination(config);
  try {
    const summary = await runSync({ config, declarations, graph, destination, ...(tables ? { tables } : {}), fullRefresh: flags.fullRefresh ?? false, onEvent: progress.onEvent });
    progress.done();
    if (mode !== "json") io.out(renderSummary(summary));
    return summary;
  } finally {
    await destination.close();
    await graph.close();
  }
}
