import { SecretRedactor } from "@kaivo/engine";
import { Command } from "commander";
import { registerCodegenCommand } from "./commands/codegen.js";
import { registerBuildCommand } from "./commands/build.js";
import { registerCheckCommand } from "./commands/check.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerInitCommand } from "./commands/init.js";
import { registerRunCommand } from "./commands/run.js";
import { registerSimulateCommand } from "./commands/simulate.js";
import { registerSqlCommand } from "./commands/sql.js";
import { registerStateCommand } from "./commands/state.js";
import { registerTablesCommand } from "./commands/tables.js";
import type { CliIo } from "./io.js";
import { reportError } from "./report-error.js";

export const VERSION = "0.1.0";

/**
 * Builds the `kaivo` command tree. exitOverride and the output settings come first so subcommands
 * inherit them. With `json`, commander prints no usage error itself: reportError prints it as JSON.
 */
export function buildProgram(io: CliIo, { json = false }: { json?: boolean } = {}): Command {
  const program = new Command("kaivo")
    .exitOverride()
    .description("Sync Microsoft Entra ID into BigQuery or DuckDB and build access-review and audit views")
    .version(VERSION)
    .option("--json", "machine-readable output: JSON on stdout, one value per line (a run: one event per line)")
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s), ...(json ? { outputError: () => undefined } : {}) })
    .showHelpAfterError(!json);
  registerInitCommand(program, io);
  registerCheckCommand(program, io);
  registerTablesCommand(program, io);
  registerRunCommand(program, io);
  registerStateCommand(program, io);
  registerBuildCommand(program, io);
  registerSqlCommand(program, io);
  registerDemoCommand(program, io);
  registerSimulateCommand(program, io);
  registerCodegenCommand(program, io);
  return program;
}

/** Runs one CLI invocation and returns its exit code (0 ok, 1 failed run, 2 bad usage or config). */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // Every byte the CLI prints passes the redactor: the client secret never reaches a terminal or log.
  const redactor = new SecretRedactor();
  redactor.add(rawIo.env.AZURE_CLIENT_SECRET);
  redactor.add(rawIo.env.AZURE_CLIENT_SECRET?.trim());
  const redact = (text: string) => redactor.redact(text);
  let exitCode = 0;
  const io: CliIo = { ...rawIo, out: (t) => rawIo.out(redact(t)), err: (t) => rawIo.err(redact(t)), setExitCode: (code) => (exitCode = Math.max(exitCode, code)) };
  const json = argv.includes("--json");
  const program = buildProgram(io, { json });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return reportError(error, io, redact, json);
  }
}
