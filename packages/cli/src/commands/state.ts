import type { TableDeclaration } from "@kaivo/codegen";
import { stateHolders, syncSql, type Destination } from "@kaivo/engine";
import type { Command } from "commander";
import { commandConfig, openSyncedWarehouse, projectDeclarations } from "../command-context.js";
import type { CliIo } from "../io.js";

export function registerStateCommand(program: Command, io: CliIo): void {
  const state = program.command("state").description("Show or reset the sync state kept in the warehouse's _kaivo_state table");
  state
    .command("show")
    .description("Print each table's stored delta link, cursor, checkpoint and last run")
    .option("--config <file>", "config file", "kaivo.json")
    .option("--json", "the states as JSON on one line")
    .action(async (flags: { config: string; json?: boolean }, command: Command) => {
      const json = flags.json || command.optsWithGlobals<{ json?: boolean }>().json;
      await withWarehouse(io, flags.config, projectDeclarations(io, flags.config), { readOnly: true }, async (destination) => {
        const synced = await hasState(destination);
        const states = synced ? await destination.readAllStates() : new Map();
        const tenant = synced ? await destination.readTenant() : undefined;
        // Without a state table no run has written there: before the first, or the config names another place.
        if (!synced) io.err(`No sync state in ${destination.location}: no run has synced there yet (check warehouse.${destination.kind === "bigquery" ? "project and warehouse.dataset" : "path"} if one has).\n`);
        else if (states.size === 0) io.err(`No sync state in ${destination.location}.\n`);
        else if (tenant) io.err(`Sync state of tenant ${tenant} in ${destination.location}:\n`);
        // For reading, indented; for a program, one line.
        io.out(`${JSON.stringify(Object.fromEntries(states), null, json ? undefined : 2)}\n`);
      });
    });
  state
    .command("reset")
    .description("Forget stored state so the next run reads the named tables (default: all) from scratch")
    .argument("[tables...]", "tables to reset")
    .option("--config <file>", "config file", "kaivo.json")
    .action(async (names: string[], flags: { config: string }) => {
      const declarations = projectDeclarations(io, flags.config);
      const declared = new Set(declarations.map((d) => d.name));
      await withWarehouse(io, flags.config, declarations, { readOnly: false }, async (destination) => {
        const synced = await hasState(destination);
        // A table whose declaration was removed keeps its state until it is reset by name.
        const stored = synced ? await destination.readAllStates() : new Map<string, unknown>();
        const undeclared = names.filter((name) => !declared.has(name) && stored.has(name));
        const holders = stateHolders(declarations, names.filter((name) => !undeclared.includes(name)), "kaivo state reset");
        const tables = [...new Set([...holders.values(), ...undeclared])];
        const keptBy = [...holders].filter(([name, holder]) => name !== holder).map(([name, holder]) => `${name} is kept by ${holder}`);
        if (synced) await destination.resetState(tables);
        io.out(`State reset for ${tables.length ? tables.join(", ") : "every table"}${keptBy.length ? ` (${keptBy.join("; ")})` : ""}; the next run starts over.\n`);
      });
    });
}

async function withWarehouse(
  io: CliIo,
  configFile: string,
  declarations: readonly TableDeclaration[],
  options: { readOnly: boolean },
  work: (destination: Destination) => Promise<void>,
): Promise<void> {
  const destination = await openSyncedWarehouse(commandConfig(io, configFile, declarations), options);
  try {
    await work(destination);
  } finally {
    await destination.close();
  }
}

/** Whether a sync has created the state table (the first run's prepare does). */
async function hasState(destination: Destination): Promise<boolean> {
  return (await destination.listTables()).includes(syncSql.STATE_TABLE);
}
