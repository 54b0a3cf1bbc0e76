import { loadDeclarations, resolveProjectRoot, type TableDeclaration } from "@kaivo/codegen";
import { DEFAULT_CONFIG_FILE, loadConfig, requireClientSecret, requireGraphApp, type GraphConfig, type KaivoConfig } from "@kaivo/engine";
import { isAbsolute, join, resolve } from "node:path";
import type { CliIo } from "./io.js";

/** The project's declarations. */
export function projectDeclarations(io: CliIo): TableDeclaration[] {
  return loadDeclarations(join(resolveProjectRoot(io.cwd), "tables"));
}

/** The config named by --config (default ./kaivo.json), validated against the declarations. */
export function commandConfig(io: CliIo, file: string | undefined, declarations: readonly TableDeclaration[]): KaivoConfig {
  const path = file ?? DEFAULT_CONFIG_FILE;
  return loadConfig(isAbsolute(path) ? path : resolve(io.cwd, path), io.env, declarations);
}

/** The config of a command that calls Graph (run, check): it must name the app registration. */
export function graphCommandConfig(io: CliIo, file: string | undefined, declarations: readonly TableDeclaration[]): GraphConfig {
  return requireGraphApp(commandConfig(io, file, declarations));
}

export function commandSecret(io: CliIo): string {
  return requireClientSecret(io.env);
}

/** How a command reports progress: JSON lines, live terminal lines, or milestones for a pipe. */
export type OutputMode = "json" | "tty" | "plain";

export function outputMode(io: CliIo, json: boolean | undefined): OutputMode {
  return json ? "json" : io.isTTY && !io.env.NO_COLOR && !io.env.CI ? "tty" : "plain";
}
