import { KaivoError, type TableDeclaration } from "@kaivo/codegen";
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { hostname } from "node:os";
import type { GraphConfig } from "../config/config.js";
import type { Destination } from "../destinations/destination.js";
import { KeyChangedError } from "../destinations/errors.js";
import type { RunSummary, SyncEventListener, TableSummary } from "../events/sync-events.js";
import type { GraphClient } from "../graph/index.js";
import type { TablePlan } from "../plan/table-plan.js";
import type { TableState } from "../state/table-state.js";
import { SyncInterruptedError } from "./interrupted.js";
import { selectPlans } from "./select-tables.js";
import type { SyncContext } from "./sync-context.js";
import { TableRunner } from "./table-runner.js";
import { createWorkDir } from "./work-dir.js";

export interface RunSyncOptions {
  config: GraphConfig;
  declarations: readonly TableDeclaration[];
  graph: GraphClient;
  destination: Destination;
  /** The --tables flag. */
  tables?: readonly string[];
  fullRefresh?: boolean;
  /** Tables synced at once (they share one Graph request budget). Default 6. */
  concurrency?: number;
  batchRows?: number;
  onEvent?: SyncEventListener;
  now?: () => Date;
  /**
   * Stops the run when aborted: tables not yet started do not start, and each running table commits
   * the pages it has fetched with a checkpoint, then fails with SyncInterruptedError.
   */
  signal?: AbortSignal;
}

const LEASE_TTL_MS = 10 * 60_000;

/**
 * One `kaivo run`: takes the connection's lease, prepares the warehouse, runs every selected table
 * concurrently (a failing table never stops the others), and returns the summary.
 * Throws only for what stops the whole run (bad selection, lease held, warehouse unusable).
 */
export async function runSync(options: RunSyncOptions): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  const onEvent = options.onEvent ?? (() => undefined);
  const plans = selectPlans(options.declarations, options.config, options.tables);
  const runId = randomUUID();
  const started = Date.now();
  const destination = options.destination;
  const lease = { runId, holder: `pid ${process.pid} on ${hostname()}`, ttlMs: LEASE_TTL_MS, tenantId: options.config.tenantId, signedInTenantId: options.graph.signedInTenantId };

  // First, so that an unusable temporary folder stops the run before anything is written.
  const workDir = await createWorkDir();
  let createdTables: Set<string>;
  try {
    createdTables = new Set(await destination.prepare(plans.flatMap((p) => [p.target, ...p.relations.map((r) => r.target)])));
    refuseChangedKeys(plans, await destination.readAllStates(), createdTables, destination.location);
    await destination.acquireLease(lease);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const renew = setInterval(() => void destination.renewLease(lease).catch(() => undefined), LEASE_TTL_MS / 3);
  renew.unref();
  onEvent({ type: "run.started", runId, tables: plans.flatMap((p) => [p.target.name, ...p.relations.map((r) => r.target.name)]), destination: destination.location });

  const ctx: SyncContext = {
    graph: options.graph,
    destination,
    connection: { tenantId: options.config.tenantId, userId: options.config.userId },
    runId,
    syncedAt: now().toISOString(),
    workDir,
    fullRefresh: options.fullRefresh ?? false,
    createdTables,
    batchRows: options.batchRows ?? options.config.sync.batchRows ?? 2_000,
    now,
    onEvent,
    signal: options.signal ?? new AbortController().signal,
  };
  try {
    const results = await mapConcurrently(plans, options.concurrency ?? options.config.sync.concurrency ?? 6, (plan) => runOneTable(plan, ctx));
    const summary: RunSummary = { runId, destination: destination.location, tables: results.flat(), seconds: (Date.now() - started) / 1000, ok: results.flat().every((t) => t.status === "succeeded"), fullRefresh: ctx.fullRefresh };
    onEvent({ type: "run.finished", summary });
    return summary;
  } finally {
    clearInterval(renew);
    await destination.releaseLease(runId).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Stops the run before any table starts when an incremental table's declared key is not the one
 * its stored rows were merged by (a full refresh replaces its rows, and a table just created has none).
 */
function refuseChangedKeys(plans: readonly TablePlan[], states: ReadonlyMap<string, TableState>, created: ReadonlySet<string>, location: string): void {
  const changed = plans.flatMap(({ target }) => {
    const stored = states.get(target.name)?.key;
    const merged = target.incremental && !created.has(target.name) && stored !== undefined;
    return merged && JSON.stringify(stored) !== JSON.stringify(target.keyColumns) ? [{ table: target.name, stored, declared: target.keyColumns }] : [];
  });
  if (changed.length > 0) throw new KeyChangedError(changed, location);
}

async function runOneTable(plan: TablePlan, ctx: SyncContext): Promise<TableSummary[]> {
  const started = Date.now();
  const names = [plan.target.name, ...plan.relations.map((r) => r.target.name)];
  const finish = (summary: TableSummary) => {
    ctx.onEvent({ type: "table.finished", summary });
    return summary;
  };
  const runner = new TableRunner(plan, ctx);
  try {
    const counts = await runner.run();
    const seconds = (Date.now() - started) / 1000;
    const stats = ctx.graph.stats(plan.target.name);
    const warnings = runner.warnings.length > 0 ? { warnings: runner.warnings } : {};
    return names.map((name, i) =>
      finish({ table: name, status: "succeeded", ...counts.get(name)!, requests: i === 0 ? stats.requests : 0, retries: i === 0 ? stats.retries : 0, seconds, ...(i === 0 ? warnings : {}) }),
    );
  } catch (error) {
    const seconds = (Date.now() - started) / 1000;
    // A message may quote what Graph or a proxy echoed; it reaches the summary and the state only redacted.
    const redact = (text: string) => ctx.graph.redact(text);
    const failure =
      error instanceof KaivoError
        ? { code: error.code, message: redact(error.message), ...(error.hint ? { hint: redact(error.hint) } : {}) }
        : { code: "KAIVO_INTERNAL", message: redact(error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error)) };
    if (!(error instanceof SyncInterruptedError)) await runner.recordFailure(failure.message);
    const stats = ctx.graph.stats(plan.target.name);
    return names.map((name, i) =>
      // Batches committed before the failure stay committed; their counts are reported.
      finish({ table: name, status: error instanceof SyncInterruptedError ? "interrupted" : "failed", ...runner.countsSoFar(name), requests: i === 0 ? stats.requests : 0, retries: i === 0 ? stats.retries : 0, seconds, error: failure }),
    );
  }
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}
