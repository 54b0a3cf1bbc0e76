import { KaivoError } from "@kaivo/codegen";
import { CommanderError } from "commander";
import type { CliIo } from "./io.js";

/**
 * Prints an error the way a user should see it and returns the exit code: a KaivoError as its
 * message and hint (no stack); a usage error from commander as already printed, or under --json
 * as a JSON error line; anything else as an unexpected error with its stack. `redact` removes
 * secrets from every line.
 */
export function reportError(error: unknown, io: CliIo, redact: (text: string) => string, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    if (json) printJsonError(io, redact, "KAIVO_USAGE", error.message.replace(/^error: /, ""), "Run the command with --help for its arguments and flags.");
    return 2;
  }
  if (error instanceof KaivoError) {
    if (json) printJsonError(io, redact, error.code, error.message, error.hint);
    else io.err(redact(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`));
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(redact(`unexpected error (a bug in Kaivo; please report it):\n${stack}\n`));
  return 1;
}

function printJsonError(io: CliIo, redact: (text: string) => string, code: string, message: string, hint: string | undefined): void {
  io.err(`${redact(JSON.stringify({ type: "error", code, message, hint: hint ?? null }))}\n`);
}
