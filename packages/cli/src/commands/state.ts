import { openDestination } from "@kaivo/engine";
import type { Command } from "commander";
import { commandConfig, projectDeclarations } from "../command-context.js";
import type { CliIo } from "../io.js";

export function registerStateCommand(program: Command, io: CliIo): void {
  const state = program.command("state").description("Show or reset the sync state kept in the warehouse's _kaivo_state table");
  state
    .command("show")
    .description("Print each table's stored delta link, cursor, checkpoint and last run")
    .option("--config <file>", "config file", "kaivo.json")
    .action(async (flags: { config: string }) => {
      const config = commandConfig(io, flags.config, projectDeclarations(io));
      const destination = await openDestination(config);
      try {
        io.out(`${JSON.stringify(Object.fromEntries(await destination.readAllStates()), null, 2)}\n`);
      } finally {
        await destination.close();
      }
    });
  state
    .command("reset")
    .description("Forget stored state so the next run reads the named tables (default: all) from scratch")
    .argument("[tables...]", "tables to reset")
    .option("--config <file>", "config file", "kaivo.json")
    .action(async (tables: string[], flags: { config: string }) => {
      const config = commandConfig(io, flags.config, projectDeclarations(io));
      const destination = await openDestination(config);
      try {
        await destination.resetState(tables);
        io.out(`State reset for ${tables.length ? tables.join(", ") : "every table"}; the next run starts over.\n`);
      } finally {
        await destination.close();
      }
    });
}
