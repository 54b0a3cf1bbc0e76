import { connectGraph, firstRequests, initialRoundRequests, MissingPermissionError, openDestination, selectPlans, syncSql, WarehouseLockedError, WarehouseUnopenableError, type FirstRequest, type KaivoConfig, type TablePlan } from "@kaivo/engine";
import { accessSync, constants, existsSync } from "node:fs";
import { dirname } from "node:path";
import { KaivoError } from "@kaivo/codegen";
import type { Command } from "commander";
import { graphCommandConfig, commandSecret, projectDeclarations, tablesFlag } from "../command-context.js";
import type { CliIo } from "../io.js";
import { renderTable } from "../render/table.js";

interface ProbeResult {
  table: string;
  /** missing-permission: Graph answered 403; failed: anything else went wrong (the detail says what). */
  status: "ok" | "missing-permission" | "failed";
  permission: string;
  detail: string;
}

const STATUS_LABELS: Record<ProbeResult["status"], string> = { ok: "ok", "missing-permission": "MISSING", failed: "FAILED" };

export function registerCheckCommand(program: Command, io: CliIo): void {
  program
    .command("check")
    .description("Get a token, send the requests each selected table's first sync starts with (to find missing Graph permissions), then reach the warehouse")
    .option("--config <file>", "config file", "kaivo.json")
    .option("--tables <names>", "comma-separated tables to check (default: the config's selection)")
    .option("--json", "results as JSON")
    .action(async (flags: { config: string; tables?: string; json?: boolean }, command: Command) => {
      const json = flags.json || command.optsWithGlobals<{ json?: boolean }>().json;
      const declarations = projectDeclarations(io);
      const config = graphCommandConfig(io, flags.config, declarations);
      const plans = selectPlans(declarations, config, tablesFlag(flags.tables));
      const graph = connectGraph(config, commandSecret(io), { retry: { maxAttempts: 3 } });
      try {
        // Sign in first: a token that cannot be had is one error, not the same failure for every table.
        await graph.acquireToken();
        if (!json) io.out(`Token acquired for app ${config.clientId} in tenant ${config.tenantId}.\n`);
        const results = await Promise.all(plans.map((plan) => probe(graph, plan, config.tenantId, config.userId)));
        if (!json) {
          io.out(renderTable(["TABLE", "STATUS", "PERMISSION", "DETAIL"], results.map((r) => [r.table, STATUS_LABELS[r.status], r.permission, r.detail])));
          const missing = [...new Set(results.filter((r) => r.status === "missing-permission").map((r) => r.permission))];
          if (missing.length) io.out(`\nGrant these application permissions to app ${config.clientId} and give admin consent: ${missing.join(", ")}\n`);
        }
        // A warehouse that cannot be used as configured is an error (exit 2), as it would be for kaivo run.
        const warehouse = await probeWarehouse(config);
        if (json) io.out(`${JSON.stringify({ clientId: config.clientId, tables: results.map((r) => ({ ...r, ok: r.status === "ok" })), warehouse })}\n`);
        else io.out(`\nWarehouse ${warehouse.location}: ${warehouse.detail}.\n`);
        io.setExitCode?.(results.every((r) => r.status === "ok") ? 0 : 1);
      } finally {
        await graph.close();
      }
    });
}

/**
 * Reaches the warehouse without writing: BigQuery with the configured credentials, project,
 * dataset and location; a DuckDB file read-only, or the folder a first run would create it in.
 */
async function probeWarehouse(config: KaivoConfig): Promise<{ location: string; detail: string }> {
  const { warehouse } = config;
  if (warehouse.type === "duckdb" && !existsSync(warehouse.path)) {
    try {
      accessSync(dirname(warehouse.path), constants.W_OK);
    } catch (error) {
      // As kaivo run would say it, when DuckDB failed to create the file.
      const reasons: Record<string, string> = { ENOENT: "No such file or directory", EACCES: "Permission denied", ENOTDIR: "Not a directory" };
      const code = (error as NodeJS.ErrnoException).code ?? "";
      throw new WarehouseUnopenableError(warehouse.path, reasons[code] ?? code, `${config.file} at /warehouse/path`);
    }
    return { location: warehouse.path, detail: "not created yet; the first run creates it" };
  }
  let destination;
  try {
    destination = await openDestination(config, { readOnly: true });
  } catch (error) {
    // Only a DuckDB file is ever locked: by a run, or a kaivo sql, going on now.
    if (error instanceof WarehouseLockedError && warehouse.type === "duckdb") return { location: warehouse.path, detail: "in use by another process now (a run, or kaivo sql)" };
    throw error;
  }
  try {
    const tables = await destination.listTables();
    if (!tables.includes(syncSql.STATE_TABLE)) return { location: destination.location, detail: "reachable; no run has synced there yet" };
    // Reads the state table: a query job, which BigQuery runs only in the dataset's location.
    const synced = [...(await destination.readAllStates()).keys()].filter((t) => tables.includes(t));
    return { location: destination.location, detail: `reachable; it holds the sync state of ${synced.length} table${synced.length === 1 ? "" : "s"}` };
  } finally {
    await destination.close();
  }
}

async function probe(graph: ReturnType<typeof connectGraph>, plan: TablePlan, tenantId: string, userId: string | undefined): Promise<ProbeResult> {
  const source = plan.declaration.source!;
  const permission = [source.permission, ...(source.additionalPermissions ?? [])].join(" + ");
  const base = { table: plan.target.name, permission };
  try {
    // The requests that start the table's first sync, with the columns and relations the config
    // selects: a wrong deltaPath or a relation Graph does not know fails here, not in the run.
    for (const request of probeRequests(plan, { tenantId, userId })) {
      await graph.request({
        method: request.method,
        url: request.path,
        query: request.query,
        ...(request.body ? { body: request.body } : {}),
        throttle: source.throttle ?? "directory",
        resourceUnits: source.resourceUnits ?? 1,
        permission,
        table: plan.target.name,
      });
    }
    return { ...base, status: "ok", detail: "" };
  } catch (error) {
    if (error instanceof MissingPermissionError) return { ...base, status: "missing-permission", detail: `grant ${permission}${source.requires ? ` (and the tenant needs ${source.requires})` : ""}` };
    if (error instanceof KaivoError && error.category === "config") throw error;
    return { ...base, status: "failed", detail: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  }
}

/**
 * What a first sync of the table sends first (one partition), a list cut down to one record: the
 * initial round of a delta table (with its $deltatoken=latest request), the window of a cursor
 * table, the list of a full refresh. A delta page takes no $top; Graph sends its first page.
 */
function probeRequests(plan: TablePlan, connection: { tenantId: string; userId: string | undefined }): FirstRequest[] {
  const oneRecord = (r: FirstRequest): FirstRequest => (r.query.$top !== undefined ? { ...r, query: { ...r.query, $top: "1" } } : r);
  switch (plan.declaration.sync.mode) {
    case "delta": {
      const { latestLink, pages } = initialRoundRequests(plan, connection);
      return [...latestLink, pages[0]!].map(oneRecord);
    }
    case "cursor":
      return firstRequests(plan, { kind: "cursor", since: new Date(Date.now() - 86_400_000).toISOString().slice(0, 19) + "Z" }, connection).slice(0, 1).map(oneRecord);
    case "full_refresh":
      return firstRequests(plan, { kind: "list" }, connection).slice(0, 1).map(oneRecord);
  }
}
