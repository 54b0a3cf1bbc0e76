import { Command } from "commander";
import { registerCodegenCommand } from "./commands/codegen.js";
import { registerTablesCommand } from "./commands/tables.js";
import type { CliIo } from "./io.js";
import { reportError } from "./report-error.js";

export const VERSION = "0.1.0";

/** Builds the `kaivo` command tree. exitOverride comes first so subcommands inherit it. */
export function buildProgram(io: CliIo): Command {
  const program = new Command("kaivo")
    .exitOverride()
    .description("Sync Microsoft Entra ID into BigQuery or DuckDB and build access-review and audit views")
    .version(VERSION)
    .option("--json", "machine-readable output: one JSON object per line")
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  registerTablesCommand(program, io);
  registerCodegenCommand(program, io);
  return program;
}

/** Runs one CLI invocation and returns its exit code (0 ok, 1 failed run, 2 bad usage or config). */
export async function runCli(argv: readonly string[], io: CliIo, redact: (text: string) => string = (t) => t): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    return reportError(error, io, redact, argv.includes("--json"));
  }
}
