import { KaivoError } from "@kaivo/codegen";
import { CommanderError } from "commander";
import type { CliIo } from "./io.js";

/**
 * Prints an error the way a user should see it and returns the exit code: a KaivoError as its
 * message and hint (no stack), a usage error from commander as already printed, anything else
 * as an unexpected error with its stack. `redact` removes secrets from every line.
 */
export function reportError(error: unknown, io: CliIo, redact: (text: string) => string, json: boolean): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof KaivoError) {
    if (json) {
      io.err(`${redact(JSON.stringify({ type: "error", code: error.code, message: error.message, hint: error.hint ?? null }))}\n`);
    } else {
      io.err(redact(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`));
    }
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(redact(`unexpected error (a bug in Kaivo; please report it):\n${stack}\n`));
  return 1;
}
