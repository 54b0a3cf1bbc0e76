import { KaivoError } from "@kaivo/codegen";
import { DatasetLocationError, WarehouseAccessError } from "../destinations/errors.js";
import type { BuildResult, DataTestResult, ModelEvent, ModelResult } from "./build-result.js";
import { dialectFor } from "./dialects/index.js";
import type { ModelExecutor, ModelSnapshot } from "./model-executor.js";
import { renderDataTest, renderModel, withModelFileLine } from "./render-model.js";
import { selectModels } from "./select-models.js";
import type { DataTestDefinition, Materialization, ModelDefinition, ModelProject, ModelTarget } from "./types.js";

/** BigQuery not usable as configured, or a dataset in another location: no statement would run, so the build stops, as a run does. */
const stopsEveryStatement = (error: unknown): boolean => error instanceof WarehouseAccessError || error instanceof DatasetLocationError;

export interface BuildModelsOptions {
  /** "name" or "name+" (the model and its dependants); all models when absent. */
  select?: string;
  /** Render every statement (models and tests) and run nothing. */
  dryRun?: boolean;
  target: ModelTarget;
  onEvent?: (event: ModelEvent) => void;
  /** Failing rows kept per failed test; default 5. */
  sampleSize?: number;
  /** Seconds clock, injectable for tests; default performance.now()/1000. */
  clock?: () => number;
}

/**
 * Builds the selected models in dependency order, then runs their data tests. A model that reads
 * a table not synced, or whose upstream model failed or was skipped, is skipped; a failure never
 * stops unrelated models.
 * Never throws for a warehouse error: the result says what failed. Throws ModelSelectionError
 * for an unknown selector.
 */
export async function buildModels(project: ModelProject, executor: ModelExecutor, options: BuildModelsOptions): Promise<BuildResult> {
  const clock = options.clock ?? (() => performance.now() / 1000);
  const emit = options.onEvent ?? (() => undefined);
  const dryRun = options.dryRun ?? false;
  const { target } = options;
  const started = clock();
  const names = selectModels(project, options.select);
  const byName = new Map(project.models.map((m) => [m.name, m]));
  const results = new Map<string, ModelResult>();

  let schemaError: string | undefined;
  if (!dryRun && executor.createSchema && names.length > 0) {
    try {
      await executor.createSchema();
    } catch (error) {
      if (stopsEveryStatement(error)) throw error;
      schemaError = `cannot create schema "${target.modelSchema}": ${messageOf(error)}`;
    }
  }

  // Read on a dry run too, which then shows the DROP of a model switched between view and table.
  const existingKinds = schemaError !== undefined || !executor.existingKinds ? new Map<string, Materialization>() : await executor.existingKinds();
  for (const [index, name] of names.entries()) {
    const model = byName.get(name) as ModelDefinition;
    const base = { name, file: model.file, materialized: model.config.materialized, tests: [] as DataTestResult[] };
    const blockers = model.dependsOn.filter((d) => ["failed", "skipped"].includes(results.get(d)?.status ?? ""));
    const unsynced = model.unsyncedSources;
    if (blockers.length > 0 || unsynced.length > 0 || schemaError !== undefined) {
      const reason =
        schemaError ??
        (unsynced.length > 0
          ? `reads ${unsynced.join(", ")}, not synced: select ${unsynced.length === 1 ? "it" : "them"} in the config's tables if need be, then run a sync`
          : `upstream model ${blockers[0]} ${results.get(blockers[0]!)?.status}`);
      const awaitsSync = schemaError === undefined && (unsynced.length > 0 || blockers.every((d) => results.get(d)?.awaitsSync === true));
      results.set(name, { ...base, status: "skipped", seconds: 0, reason, ...(awaitsSync ? { awaitsSync } : {}) });
      emit({ type: "model.skipped", model: name, file: model.file, reason, index, total: names.length });
      continue;
    }
    const t0 = clock();
    let sql: string | undefined;
    let drop: string | undefined;
    try {
      sql = renderModel(project, name, executor.dialect, target);
      drop = dropOfOtherKind(executor, model, target, existingKinds.get(name));
      if (!dryRun) await createModel(executor, sql, drop);
    } catch (error) {
      // Nothing else would build either: the build stops here rather than fail every model in turn.
      if (stopsEveryStatement(error)) throw error;
      const seconds = clock() - t0;
      // A statement the warehouse refused names a line of it, which the model's file has elsewhere.
      const message = sql === undefined ? messageOf(error) : withModelFileLine(messageOf(error), project, name, executor.dialect, target);
      const failed: ModelResult = { ...base, status: "failed", seconds, error: message };
      if (error instanceof KaivoError) failed.errorCode = error.code;
      results.set(name, failed);
      emit({ type: "model.failed", model: name, file: model.file, error: message, seconds, index, total: names.length });
      continue;
    }
    const seconds = clock() - t0;
    results.set(name, { ...base, status: dryRun ? "rendered" : "built", seconds, ...(drop ? { drop } : {}), sql });
    if (!dryRun) emit({ type: "model.built", model: name, file: model.file, materialized: model.config.materialized, seconds, index, total: names.length });
  }

  // Data tests run after every selected model is built, so relationships see their targets.
  for (const name of names) {
    const result = results.get(name) as ModelResult;
    if (result.status !== "built" && result.status !== "rendered") continue;
    const model = byName.get(name) as ModelDefinition;
    if (!dryRun && model.tests.length > 0) emit({ type: "model.tests.started", model: name, tests: model.tests.length });
    const snapshot = await snapshotForTests(model, executor, options.target, dryRun);
    try {
      for (const test of model.tests) {
        result.tests.push(await runDataTest(project, model, test, executor, { ...options, dryRun, results, clock, emit, ...(snapshot ? { snapshot: snapshot.relation } : {}) }));
      }
    } finally {
      await snapshot?.drop().catch(() => undefined);
    }
  }

  const models = names.map((n) => results.get(n) as ModelResult);
  const ok = models.every((m) => m.status !== "failed" && (m.status !== "skipped" || m.awaitsSync) && m.tests.every((t) => t.status === "passed" || (t.status === "skipped" && (dryRun || t.awaitsSync))));
  // Views no model file names any more (one deleted or renamed) stay where they are, and may no longer run.
  const strayViews = [...existingKinds].filter(([name, kind]) => kind === "view" && !byName.has(name)).map(([name]) => name).sort();
  return { ok, dryRun, seconds: clock() - started, target, models, strayViews };
}

/**
 * A snapshot of a view with several tests, for them to run against; undefined to run them against
 * the view (a table, one test, a dry run, a warehouse without snapshots, or a snapshot that failed:
 * each test then reports its own error).
 */
async function snapshotForTests(model: ModelDefinition, executor: ModelExecutor, target: ModelTarget, dryRun: boolean): Promise<ModelSnapshot | undefined> {
  if (dryRun || model.config.materialized !== "view" || model.tests.length < 2 || !executor.snapshot) return undefined;
  return executor.snapshot(modelRelation(model, executor, target), model.name).catch(() => undefined);
}

interface TestRunContext {
  target: ModelTarget;
  dryRun: boolean;
  sampleSize?: number;
  results: ReadonlyMap<string, ModelResult>;
  clock: () => number;
  emit: (event: ModelEvent) => void;
  /** The snapshot of the model the test runs against, instead of the model. */
  snapshot?: string;
}

async function runDataTest(
  project: ModelProject,
  model: ModelDefinition,
  test: DataTestDefinition,
  executor: ModelExecutor,
  context: TestRunContext,
): Promise<DataTestResult> {
  const t0 = context.clock();
  const base = { name: test.name, kind: test.kind, failures: 0, sample: [] as Record<string, unknown>[] };
  // A table the config leaves out: the test waits for it, as a model reading it does.
  const unsynced = test.kind === "sql" ? [...new Set(test.reads?.sources.filter((s) => !project.sources.includes(s)))].sort() : [];
  if (unsynced.length > 0) return { ...base, status: "skipped", sql: "", seconds: 0, reason: `reads ${unsynced.join(", ")}, not synced`, awaitsSync: true };
  // `sql` is what the result shows (against the model, to rerun by hand); `run` what runs now.
  let sql: string;
  let run: string;
  try {
    sql = renderDataTest(project, model, test, executor.dialect, context.target);
    run = context.snapshot ? renderDataTest(project, model, test, executor.dialect, context.target, context.snapshot) : sql;
  } catch (error) {
    return failed({ ...base, status: "error", sql: "", seconds: context.clock() - t0, error: messageOf(error) });
  }
  if (context.dryRun) return { ...base, status: "skipped", sql, seconds: 0, reason: "dry run" };
  // Another model it reads that failed or was skipped would answer with stale rows, or none.
  const reads = test.kind === "relationships" ? [test.to] : test.kind === "sql" ? (test.reads?.models ?? []) : [];
  const upstream = reads.map((name) => context.results.get(name)).find((r) => r !== undefined && r.status !== "built");
  if (upstream !== undefined) return { ...base, status: "skipped", sql, seconds: 0, reason: `model ${upstream.name} ${upstream.status}` };
  try {
    // The newline ends a `--` comment on the test's last line before the parenthesis closes.
    const counted = await executor.query(`SELECT COUNT(*) AS failures FROM (${run}\n) AS failing_rows`);
    const failures = Number(counted[0]?.failures ?? 0);
    const seconds = () => context.clock() - t0;
    if (failures === 0) {
      context.emit({ type: "model.test.passed", model: model.name, test: test.name, seconds: seconds() });
      return { ...base, status: "passed", sql, seconds: seconds() };
    }
    const sample = await executor.query(`SELECT * FROM (${run}\n) AS failing_rows LIMIT ${context.sampleSize ?? 5}`);
    return failed({ ...base, status: "failed", failures, sample, sql, seconds: seconds() });
  } catch (error) {
    if (stopsEveryStatement(error)) throw error;
    // The warehouse names the relation the test ran against; the user knows the model, not its snapshot.
    const message = context.snapshot ? messageOf(error).replaceAll(context.snapshot, modelRelation(model, executor, context.target)) : messageOf(error);
    return failed({ ...base, status: "error", sql, seconds: context.clock() - t0, error: message });
  }

  function failed(result: DataTestResult): DataTestResult {
    context.emit({
      type: "model.test.failed",
      model: model.name,
      test: test.name,
      failures: result.failures,
      sample: result.sample,
      seconds: result.seconds,
      ...(result.error === undefined ? {} : { error: result.error }),
    });
    return result;
  }
}

/**
 * The DROP a model needs first: switched between view and table, it finds the other kind in its
 * place, which CREATE OR REPLACE refuses to replace (dbt drops it too).
 */
function dropOfOtherKind(executor: ModelExecutor, model: ModelDefinition, target: ModelTarget, existing: Materialization | undefined): string | undefined {
  if (existing === undefined || existing === model.config.materialized) return undefined;
  return dialectFor(executor.dialect).drop(existing, modelRelation(model, executor, target));
}

/** Runs the model's CREATE OR REPLACE, after the DROP of the other kind when there is one. */
async function createModel(executor: ModelExecutor, sql: string, drop: string | undefined): Promise<void> {
  if (drop === undefined) return executor.execute(sql);
  // Where the warehouse can, the old object goes only with the new one made.
  const statements = [drop, sql];
  if (executor.executeInTransaction) return executor.executeInTransaction(statements);
  for (const statement of statements) await executor.execute(statement);
}

function modelRelation(model: ModelDefinition, executor: ModelExecutor, target: ModelTarget): string {
  return dialectFor(executor.dialect).relation(target.modelSchema, model.name, target.project);
}

function messageOf(error: unknown): string {
  if (error instanceof KaivoError && error.hint) return `${error.message} (${error.hint})`;
  return error instanceof Error ? error.message : String(error);
}
