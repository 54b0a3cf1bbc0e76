import { isIncremental, type TableDeclaration } from "@kaivo/codegen";
import { buildModels, ConfigError, declaredTarget, loadModelProject, modelSource, modelSchemaOf, syncSql, tablesKeptCurrent, type BuildResult, type Destination, type KaivoConfig, type ModelEvent, type ModelProject, type TableState } from "@kaivo/engine";
import type { Command } from "commander";
import { join } from "node:path";
import { commandConfig, loadProject, openSyncedWarehouse, outputMode, type Project } from "../command-context.js";
import type { CliIo } from "../io.js";

export interface BuildFlags {
  config?: string;
  select?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerBuildCommand(program: Command, io: CliIo): void {
  program
    .command("build")
    .description("Build the SQL models in models/ as views in the warehouse, then run their data tests")
    .option("--config <file>", "config file", "kaivo.json")
    .option("--select <model>", "build only this model (`name`), with everything downstream (`name+`), with everything it reads (`+name`), or both (`+name+`)")
    .option("--dry-run", "print the rendered SQL; run nothing")
    .option("--json", "the build result as JSON")
    .action(async (flags: BuildFlags, command: Command) => {
      const json = flags.json || command.optsWithGlobals<{ json?: boolean }>().json;
      const project = loadProject(io, flags.config);
      const config = commandConfig(io, flags.config, project.declarations);
      const destination = await openSyncedWarehouse(config);
      try {
        const result = await buildCommand(io, destination, config, project, { ...flags, ...(json ? { json } : {}) });
        io.setExitCode?.(result.ok ? 0 : 1);
      } finally {
        await destination.close();
      }
    });
}

/** Builds the models against an open destination and prints what happened. Shared with `kaivo demo`. */
export async function buildCommand(io: CliIo, destination: Destination, config: KaivoConfig, { root, declarations }: Project, flags: BuildFlags): Promise<BuildResult> {
  const synced = new Set(await destination.listTables());
  // A BigQuery dataset no sync wrote (a misspelt name, or before the first run): building there
  // would make a models dataset of the wrong name and views over nothing.
  if (config.warehouse.type === "bigquery" && !synced.has(syncSql.STATE_TABLE)) {
    throw new ConfigError(
      `${config.file} at /warehouse/dataset`,
      `${config.warehouse.project}.${config.warehouse.dataset} holds no synced tables`,
      "Run `kaivo run` first, or set warehouse.dataset to the dataset it synced into.",
    );
  }
  const declared = declarations.map((d) => d.name);
  // A table the config no longer selects keeps what its last sync wrote: the views read it as not synced.
  const keptCurrent = tablesKeptCurrent(declarations, config);
  const sources = declared.filter((t) => synced.has(t) && keptCurrent.has(t));
  const current = declarations.filter((d) => keptCurrent.has(d.name));
  const states = synced.has(syncSql.STATE_TABLE) ? await destination.readAllStates() : new Map<string, TableState>();
  const { unfinished, failed, rejectedObjects: trackedRejects } = syncHealth(states, current);
  // A cursor table keeps no record of what it rejected: the warehouse is asked which rejects it lacks.
  const cursorDeclarations = current.filter((d) => d.sync.mode === "cursor" && synced.has(d.name));
  const cursorTables = new Set(cursorDeclarations.map((d) => d.name));
  const rejectsNotStored = cursorTables.size > 0 && synced.has(syncSql.REJECTS_TABLE) ? await destination.rejectedNotStored(cursorDeclarations.map(declaredTarget)) : new Map<string, number>();
  const rejectedObjects = { ...trackedRejects, ...Object.fromEntries(rejectsNotStored) };
  const fullRefresh = new Set(declarations.filter((d) => !isIncremental(d)).map((d) => d.name));
  const project = loadModelProject(join(root, "models"), {
    sources,
    declared,
    // A table whose declaration this project dropped is still synced data: no model may replace it.
    synced: [...states.keys()].filter((t) => synced.has(t)),
  });
  const { executor, target } = await destination.modelExecutor(modelSchemaOf(config), declarations.map((d) => modelSource(d, config.tables?.[d.name]?.columns)));
  // Milestones on stderr while the data tests run (at 100k users they take about 20 s); the report
  // follows on stdout. A terminal gets one line, rewritten for each model and cleared at the end.
  const terminal = outputMode(io, flags.json) === "tty";
  const onEvent = (e: ModelEvent) => {
    if (e.type !== "model.tests.started") return;
    const line = `testing ${e.model} (${e.tests} data test${e.tests === 1 ? "" : "s"})`;
    io.err(terminal ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  const result = await buildModels(project, executor, {
    target,
    ...(flags.select ? { select: flags.select } : {}),
    ...(flags.dryRun ? { dryRun: true } : {}),
    ...(flags.json ? {} : { onEvent }),
  });
  if (terminal) io.err("\r\x1b[2K");
  const builtWithout = modelsBuiltWithout(project, result);
  const unsyncedColumns = Object.fromEntries(Object.entries(target.missingSourceColumns ?? {}).map(([table, columns]) => [table, columns.map((c) => c.name)]));
  const undeclaredColumns = target.undeclaredSourceColumns ?? {};
  if (flags.json) {
    io.out(`${JSON.stringify({ ...result, unfinishedTables: unfinished, failedTables: failed, rejectedObjects, unsyncedColumns, undeclaredColumns, builtWithout })}\n`);
    return result;
  }
  if (flags.dryRun) {
    for (const m of result.models) {
      if (m.sql === undefined) {
        io.out(`-- ${m.name} (${m.file}): would be skipped: ${m.reason ?? m.error ?? m.status}\n\n`);
        continue;
      }
      io.out(`-- ${m.name} (${m.file})\n${m.drop ? `${m.drop};\n` : ""}${m.sql};\n\n`);
      for (const t of m.tests) if (t.sql) io.out(`-- ${m.name}: data test ${t.name} (the rows it returns fail it)\n${t.sql};\n\n`);
    }
    return result;
  }
  for (const m of result.models) {
    const tests = m.tests.length ? `, ${m.tests.filter((t) => t.status === "passed").length}/${m.tests.length} tests passed` : "";
    io.out(`${m.status === "built" ? "built  " : m.status === "skipped" ? "skipped" : "FAILED "} ${m.materialized} ${m.name} (${m.seconds.toFixed(2)} s${tests})\n`);
    // A template error names its file and line already; a warehouse error does not.
    if (m.error) io.out(`  ${m.error.startsWith(m.file) ? "" : `${m.file}: `}${m.error}\n`);
    const undeclared = m.error ? undeclaredColumn(m.error, declarations) : undefined;
    if (undeclared) io.out(`  hint: no declaration in tables/ has a column ${undeclared}; if one dropped or renamed it, restore it there, or change the model\n`);
    if (m.reason) io.out(`  ${m.reason}\n`);
    for (const t of m.tests.filter((t) => t.status !== "passed" && t.status !== "skipped")) {
      io.out(`  test ${t.name} ${t.status}: ${t.status === "error" ? t.error : `${t.failures} failing row${t.failures === 1 ? "" : "s"}`}\n`);
      for (const row of t.sample) io.out(`    ${JSON.stringify(row)}\n`);
    }
  }
  const count = (status: string) => result.models.filter((m) => m.status === status).length;
  const built = count("built");
  const tests = result.models.flatMap((m) => m.tests);
  const failedTests = tests.filter((t) => t.status === "failed").length;
  // A test the warehouse could not run found nothing wrong with the data: it is told apart.
  const brokenTests = tests.filter((t) => t.status === "error").length;
  const outcomes = [
    ...(count("failed") ? [`${count("failed")} failed`] : []),
    ...(count("skipped") ? [`${count("skipped")} skipped`] : []),
    ...(failedTests ? [`${failedTests} data tests failed`] : []),
    ...(brokenTests ? [`${brokenTests} data tests could not run`] : []),
    ...(!failedTests && !brokenTests && built ? ["all data tests passed"] : []),
  ];
  io.out(`\n${built} of ${result.models.length} models built in ${result.seconds.toFixed(1)} s${outcomes.map((o) => `; ${o}`).join("")}.\n`);
  for (const [table, models] of Object.entries(builtWithout)) {
    const lastSync = states.get(table)?.lastRun?.finishedAt;
    const why = synced.has(table) ? `is no longer in the config's tables (the warehouse keeps what ${lastSync ? `its sync of ${lastSync}` : "its last sync"} wrote, no longer current)` : "is not synced";
    io.out(`\nNote: ${table} ${why}, so ${models.join(", ")} show${models.length === 1 ? "s" : ""} none of its data; select it in the config's tables to include it.\n`);
  }
  for (const [table, columns] of Object.entries(unsyncedColumns)) {
    const one = columns.length === 1;
    io.out(`\nNote: ${columns.length} declared column${one ? "" : "s"} of ${table} ${one ? "is" : "are"} not synced under the config's selection (${abbreviated(columns)}); the views read ${one ? "it" : "them"} as NULL.\n`);
  }
  for (const [table, columns] of Object.entries(undeclaredColumns)) {
    io.out(`\nNote: ${table} keeps ${abbreviated(columns)}, which no declaration has any more; the views leave ${columns.length === 1 ? "it" : "them"} out (the table keeps the values).\n`);
  }
  const { strayViews } = result;
  if (strayViews.length > 0) {
    io.out(`\nNote: ${abbreviated(strayViews)} in ${target.modelSchema} ${strayViews.length === 1 ? "is a view" : "are views"} no model file names (a model deleted or renamed?); ${strayViews.length === 1 ? "it stays" : "they stay"} as built, and may no longer run. Drop ${strayViews.length === 1 ? "it" : "them"} if nothing else uses ${strayViews.length === 1 ? "it" : "them"}.\n`);
  }
  for (const [table, n] of Object.entries(rejectedObjects)) {
    const one = n === 1;
    if (cursorTables.has(table)) {
      io.out(`\nNote: ${table} lacks ${one ? "1 record" : `${n.toLocaleString("en")} records`} that failed validation (see _kaivo_rejects); no later sync reads ${one ? "it" : "them"} again unless the declaration changes: one that accepts ${one ? "it" : "them"} makes the next sync read every record Graph still keeps.\n`);
      continue;
    }
    const when = fullRefresh.has(table) ? "the next sync reads every record again" : `${one ? "it is" : "each is"} read again once Graph reports a change to ${one ? "it" : "one"}, or whole when the declaration is fixed`;
    io.out(`\nNote: ${table} lacks, or holds as they were before, ${one ? "1 object" : `${n.toLocaleString("en")} objects`} whose latest record failed validation (see _kaivo_rejects); ${when}.\n`);
  }
  if (unfinished.length > 0) {
    io.out(`\nWarning: the last sync stopped partway through ${unfinished.join(", ")}; the views over them show only what it read so far. Finish them with \`kaivo run\`.\n`);
  }
  for (const f of failed) {
    const tables = [f.table, ...f.relations].join(", ");
    io.out(`\nWarning: the last sync of ${tables} failed (${f.failedAt}): ${f.message}\nThe views over ${f.relations.length > 0 ? "them" : "it"} show what earlier syncs wrote; once the cause is fixed, \`kaivo run\` brings ${f.relations.length > 0 ? "them" : "it"} up to date.\n`);
  }
  return result;
}

/** The column a warehouse error says the model reads and cannot find, when no declaration has it. */
function undeclaredColumn(error: string, declarations: readonly TableDeclaration[]): string | undefined {
  const match = /Referenced column "([^"]+)" not found|does not have a column named "([^"]+)"|Unrecognized name: (\w+)/.exec(error);
  const column = match?.[1] ?? match?.[2] ?? match?.[3];
  if (column === undefined) return undefined;
  const declared = declarations.some((d) => declaredTarget(d).columns.some((c) => c.name === column));
  return declared ? undefined : column;
}

/** Per optional table left out of the warehouse, the built models that would have read it. */
function modelsBuiltWithout(project: ModelProject, result: BuildResult): Record<string, string[]> {
  const built = new Set(result.models.filter((m) => m.status === "built").map((m) => m.name));
  const byTable: Record<string, string[]> = {};
  for (const model of project.models.filter((m) => built.has(m.name))) {
    for (const table of model.absentOptionalSources) (byTable[table] ??= []).push(model.name);
  }
  return byTable;
}

/** The first few names, then how many more. */
function abbreviated(names: readonly string[], shown = 5): string {
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}

/** A table whose last sync failed, with the relations its rounds fill. */
interface FailedTable {
  table: string;
  relations: string[];
  failedAt: string;
  message: string;
}

/**
 * What the last syncs left behind that the views cannot show whole: tables a sync stopped partway
 * through a round (with the relations their rounds fill), and tables whose last sync failed.
 */
function syncHealth(states: ReadonlyMap<string, TableState>, declarations: readonly TableDeclaration[]): { unfinished: string[]; failed: FailedTable[]; rejectedObjects: Record<string, number> } {
  const relationsOf = (table: string) => declarations.filter((d) => d.relation?.parent === table).map((d) => d.name);
  const failed = declarations.flatMap((d) => {
    const failure = states.get(d.name)?.lastFailure;
    return failure ? [{ table: d.name, relations: relationsOf(d.name), failedAt: failure.failedAt, message: failure.message }] : [];
  });
  const isMidRound = (table: string | undefined) => table !== undefined && !!states.get(table)?.checkpoint && !states.get(table)?.lastFailure;
  // Objects whose latest record was rejected, missing from the views or out of date there.
  const rejectedObjectsOf = (d: TableDeclaration, state: TableState | undefined): number => {
    // Those a delta table tracks (RejectedObjects).
    if (state?.rejectedObjects) return state.rejectedObjects.waiting.length + state.rejectedObjects.due.length;
    // Those a full refresh's last run rejected, whose rows it kept (a failed run is warned of apart).
    return !isIncremental(d) && !state?.lastFailure ? (state?.lastRun?.rejected ?? 0) : 0;
  };
  const rejectedObjects = Object.fromEntries(
    declarations.flatMap((d) => {
      const n = rejectedObjectsOf(d, states.get(d.name));
      return n > 0 ? [[d.name, n] as const] : [];
    }),
  );
  return { unfinished: declarations.filter((d) => isMidRound(d.name) || isMidRound(d.relation?.parent)).map((d) => d.name), failed, rejectedObjects };
}
