import {
  connectGraph,
  firstRequests,
  initialRoundRequests,
  MissingPermissionError,
  openDestination,
  OtherTenantError,
  holdsTenant,
  sameTenant,
  selectPlans,
  syncSql,
  WarehouseLockedError,
  type Destination,
  type FirstRequest,
  type GraphConfig,
  type TablePlan,
} from "@kaivo/engine";
import { existsSync } from "node:fs";
import { KaivoError } from "@kaivo/codegen";
import type { Command } from "commander";
import { graphCommandConfig, commandSecret, projectDeclarations, joinRepeated, tablesFlag } from "../command-context.js";
import { requireWritableDuckDb } from "../duckdb-writable.js";
import { refuseDemoWarehouse } from "../demo-warehouse.js";
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
    .option("--tables <names>", "comma-separated tables to check (default: the config's selection)", joinRepeated)
    .option("--json", "results as JSON")
    .action(async (flags: { config: string; tables?: string; json?: boolean }, command: Command) => {
      const json = flags.json || command.optsWithGlobals<{ json?: boolean }>().json;
      const declarations = projectDeclarations(io, flags.config);
      const config = graphCommandConfig(io, flags.config, declarations);
      const plans = selectPlans(declarations, config, tablesFlag(flags.tables));
      const graph = connectGraph(config, commandSecret(io), { retry: { maxAttempts: 3 } });
      try {
        // Sign in first: a token that cannot be had is one error, not the same failure for every table.
        await graph.acquireToken();
        const guid = graph.signedInTenantId;
        const named = guid === undefined || sameTenant(guid, config.tenantId) ? config.tenantId : `${config.tenantId} (${guid})`;
        if (!json) io.out(`Token acquired for app ${config.clientId} in tenant ${named}.\n`);
        const results = await Promise.all(plans.map((plan) => probe(graph, plan, config.tenantId, config.userId)));
        if (!json) {
          io.out(renderTable(["TABLE", "STATUS", "PERMISSION", "DETAIL"], results.map((r) => [r.table, STATUS_LABELS[r.status], r.permission, r.detail])));
          const missing = [...new Set(results.filter((r) => r.status === "missing-permission").map((r) => r.permission))];
          if (missing.length) io.out(`\nGrant these application permissions to app ${config.clientId} and give admin consent: ${missing.join(", ")}\n`);
        }
        const warehouse = await probeWarehouse(config, graph.signedInTenantId);
        if (json) io.out(`${JSON.stringify({ clientId: config.clientId, tables: results.map((r) => ({ ...r, ok: r.status === "ok" })), warehouse })}\n`);
        else if (warehouse.ok) io.out(`\nWarehouse ${warehouse.location}: ${warehouse.detail}.\n`);
        else io.err(`error: ${warehouse.error!.message}\n${warehouse.error!.hint ? `hint: ${warehouse.error!.hint}\n` : ""}`);
        // A warehouse a run could not use is bad config (exit 2), as it would be for kaivo run.
        io.setExitCode?.(!warehouse.ok ? 2 : results.every((r) => r.status === "ok") ? 0 : 1);
      } finally {
        await graph.close();
      }
    });
}

/** What `kaivo check` found of the warehouse; with `error`, what would stop a run there (exit 2). */
interface WarehouseProbe {
  location: string;
  ok: boolean;
  detail: string;
  error?: { code: string; message: string; hint?: string };
}

/**
 * Reaches the warehouse without writing, and refuses it where kaivo run would: BigQuery with the
 * configured credentials, project and dataset location (one query job that reads nothing); a
 * DuckDB file this user can write, or the folder a first run creates it in; never the demo's file
 * or one holding another tenant's data (`signedInTenantId`: the tenant's GUID, as the token names it).
 */
async function probeWarehouse(config: GraphConfig, signedInTenantId: string | undefined): Promise<WarehouseProbe> {
  const { warehouse } = config;
  const location = warehouse.type === "duckdb" ? warehouse.path : `${warehouse.project}.${warehouse.dataset}`;
  try {
    if (warehouse.type === "duckdb") {
      requireWritableDuckDb(config);
      if (!existsSync(warehouse.path)) return { location, ok: true, detail: "not created yet; the first run creates it" };
      await refuseDemoWarehouse(config);
    }
    let destination: Destination;
    try {
      destination = await openDestination(config, { readOnly: true });
    } catch (error) {
      if (error instanceof WarehouseLockedError) return { location, ok: true, detail: "in use by another process now (a run, or kaivo sql)" };
      throw error;
    }
    try {
      await destination.probe();
      if (!(await destination.listTables()).includes(syncSql.STATE_TABLE)) return { location, ok: true, detail: "reachable; no run has synced there yet" };
      const tenant = await destination.readTenant();
      if (tenant !== undefined && !holdsTenant(tenant, { tenantId: config.tenantId, signedInTenantId })) throw new OtherTenantError(tenant, config.tenantId, destination.location);
      const synced = (await destination.readAllStates()).size;
      return { location, ok: true, detail: `reachable; it holds the sync state of ${synced} table${synced === 1 ? "" : "s"}` };
    } finally {
      await destination.close();
    }
  } catch (error) {
    if (!(error instanceof KaivoError) || error.category !== "config") throw error;
    return { location, ok: false, detail: error.message, error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
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
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    // The hint says what to do (a path Graph does not have: check source.path), as kaivo run's does.
    return { ...base, status: "failed", detail: error instanceof KaivoError && error.hint ? `${message} (${error.hint})` : message };
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
