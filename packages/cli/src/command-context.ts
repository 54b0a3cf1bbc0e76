import { loadDeclarations, resolveProjectRoot, type TableDeclaration } from "@kaivo/codegen";
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig, modelFilesByName, openDestination, requireClientSecret, requireGraphApp, type Destination, type GraphConfig, type KaivoConfig } from "@kaivo/engine";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { CliIo } from "./io.js";

/**
 * The project a command works on: the folder of its config file (--config, default ./kaivo.json)
 * when that folder has tables/ of its own, else the bundled tables/ and models/. Run from another
 * folder with --config, a project's own declarations are still the ones used.
 */
function projectRoot(io: CliIo, configFile: string | undefined): string {
  return resolveProjectRoot(dirname(configPath(io, configFile)));
}

/** The project a command works on (see projectRoot), with its declarations loaded. */
export interface Project {
  root: string;
  declarations: TableDeclaration[];
}

export function loadProject(io: CliIo, configFile: string | undefined): Project {
  const root = projectRoot(io, configFile);
  return { root, declarations: loadDeclarations(join(root, "tables")) };
}

/** The project's declarations (see projectRoot). */
export function projectDeclarations(io: CliIo, configFile: string | undefined): TableDeclaration[] {
  return loadProject(io, configFile).declarations;
}

function configPath(io: CliIo, file: string | undefined): string {
  const path = file ?? DEFAULT_CONFIG_FILE;
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/** The config named by --config (default ./kaivo.json), validated against the declarations. */
export function commandConfig(io: CliIo, file: string | undefined, declarations: readonly TableDeclaration[]): KaivoConfig {
  return loadConfig(configPath(io, file), io.env, declarations);
}

/** The config of a command that calls Graph (run, check): it must name the app registration. */
export function graphCommandConfig(io: CliIo, file: string | undefined, declarations: readonly TableDeclaration[]): GraphConfig {
  return requireGraphApp(commandConfig(io, file, declarations));
}

/**
 * The configured warehouse, for a command that reads what a sync wrote (build, state): a DuckDB
 * file must exist already, since opening a mistyped path would create an empty one.
 */
export async function openSyncedWarehouse(config: KaivoConfig, options: { readOnly?: boolean } = {}): Promise<Destination> {
  const { warehouse } = config;
  if (warehouse.type === "duckdb" && !existsSync(warehouse.path)) {
    throw new ConfigError(`${config.file} at /warehouse/path`, `${warehouse.path} does not exist`, "Run `npx kaivo run` or `npx kaivo demo` first, or set warehouse.path to the DuckDB file they wrote.");
  }
  return openDestination(config, options);
}

/** A flag given more than once (`--tables users --tables groups`): its values joined with commas, as one list. */
export function joinRepeated(value: string, previous: string | undefined): string {
  return previous === undefined ? value : `${previous},${value}`;
}

/** The tables a --tables flag names (undefined without the flag: the config's selection). */
export function tablesFlag(value: string | undefined): string[] | undefined {
  const tables = value?.split(",").map((t) => t.trim()).filter(Boolean);
  if (tables?.length === 0) throw new ConfigError("--tables", "names no table", "Give a comma-separated list such as --tables users,groups, or leave the flag out for the config's selection.");
  return tables;
}

export function commandSecret(io: CliIo): string {
  return requireClientSecret(io.env);
}

/** How a command reports progress: JSON lines, live terminal lines, or milestones for a pipe. */
export type OutputMode = "json" | "tty" | "plain";

export function outputMode(io: CliIo, json: boolean | undefined): OutputMode {
  return json ? "json" : io.isTTY && !io.env.NO_COLOR && !io.env.CI ? "tty" : "plain";
}

/**
 * A model is built beside the synced tables: one of a table's name would replace its rows, so a
 * run stops before it writes, and codegen before it generates.
 */
export function refuseTablesNamedLikeModels(root: string, declarations: readonly TableDeclaration[]): void {
  const models = modelFilesByName(join(root, "models"));
  const clash = declarations.find((d) => models.has(d.name));
  if (!clash) return;
  throw new ConfigError(
    clash.file,
    `declares table ${clash.name}, which is also the name of the model ${relative(root, models.get(clash.name)!)}; building the models would replace the table's synced rows`,
    "Rename the table (its file and its \"name\"), or the model's file.",
  );
}
