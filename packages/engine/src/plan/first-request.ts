import type { SourceDeclaration, ValueRef } from "@kaivo/codegen";
import type { ThrottleClass } from "../graph/index.js";
import type { TablePlan } from "./table-plan.js";

/** Values a declaration may reference with `fromConfig`. */
export interface ConnectionValues {
  tenantId: string;
  userId: string | undefined;
}

/** The first request of a round for one partition; later pages follow Graph's links verbatim. */
export interface FirstRequest {
  method: "GET" | "POST";
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
  partition: Record<string, string | number | boolean>;
}

/** How requests of this table draw on Graph's budget. */
export interface RequestCost {
  throttle: ThrottleClass;
  resourceUnits: number;
  permission: string;
}

export function requestCost(source: SourceDeclaration): RequestCost {
  const permissions = [source.permission, ...(source.additionalPermissions ?? [])];
  return { throttle: source.throttle ?? "directory", resourceUnits: source.resourceUnits ?? 1, permission: permissions.join(" and ") };
}

export class MissingConfigValueError extends Error {}

export function resolveValue(ref: ValueRef, connection: ConnectionValues, partition: Record<string, string | number | boolean>): string | number | boolean {
  if (typeof ref !== "object") return ref;
  if ("fromConfig" in ref) {
    const value = connection[ref.fromConfig];
    if (value === undefined) throw new MissingConfigValueError(ref.fromConfig);
    return value;
  }
  const value = partition[ref.fromPartition];
  if (value === undefined) throw new MissingConfigValueError(`partition.${ref.fromPartition}`);
  return value;
}

export type RoundKind = { kind: "list" } | { kind: "delta" } | { kind: "cursor"; since: string };

/**
 * `$select` for the plan: selected fields (annotations and injected fields are not selectable),
 * plus in a delta round the relation properties whose changes come as `members@delta`. A list
 * cannot select them: they are navigation properties, and Graph answers 400.
 */
function selectParameter(plan: TablePlan, round: RoundKind): string | undefined {
  const source = plan.declaration.source!;
  if (!source.select) return undefined;
  const injected = new Set(Object.keys(source.inject ?? {}));
  const fields = plan.selectedFields.filter((f) => !f.startsWith("@") && !injected.has(f));
  const relationProperties = round.kind === "delta" ? plan.relations.map((r) => r.property) : [];
  return [...new Set([...fields, ...relationProperties])].join(",");
}

/** The first request of each partition for a list, delta or cursor round. */
export function firstRequests(plan: TablePlan, round: RoundKind, connection: ConnectionValues): FirstRequest[] {
  const source = plan.declaration.source!;
  const select = selectParameter(plan, round);
  const query: Record<string, string> = {};
  if (select) query.$select = select;
  if (round.kind !== "delta" && source.pageSize !== undefined) query.$top = String(source.pageSize);
  if (round.kind === "cursor" && plan.declaration.sync.mode === "cursor") {
    query.$filter = `${plan.declaration.sync.field} ge ${round.since}`;
  }
  if (round.kind !== "delta" && source.orderBy) query.$orderby = source.orderBy;
  const path = round.kind === "delta" ? source.deltaPath! : source.path;
  return (source.partitions ?? [{}]).map((partition) => ({
    method: source.method ?? "GET",
    path,
    query,
    body: source.body ? Object.fromEntries(Object.entries(source.body).map(([k, ref]) => [k, resolveValue(ref, connection, partition)])) : undefined,
    partition,
  }));
}

/**
 * Where a cursor round starts reading: the stored cursor less the look-back window, or on a first
 * run (no cursor) `initialLookbackDays` before now; to the second, as Graph's $filter takes it.
 */
export function cursorRoundSince(plan: TablePlan, storedCursor: string | null, now: Date): string {
  const sync = plan.declaration.sync;
  if (sync.mode !== "cursor") throw new Error(`${plan.declaration.name}: not a cursor table`);
  const since = storedCursor
    ? new Date(new Date(storedCursor).getTime() - sync.lookbackMinutes * 60_000)
    : new Date(now.getTime() - (sync.initialLookbackDays ?? 30) * 86_400_000);
  return `${since.toISOString().slice(0, 19)}Z`;
}

/**
 * The first requests of a delta table's initial round, per partition: the delta function's; or,
 * for source.initialRound "list", `$deltatoken=latest` (answered with only the deltaLink the round
 * will end with) and then the collection's list.
 */
export function initialRoundRequests(plan: TablePlan, connection: ConnectionValues): { latestLink: FirstRequest[]; pages: FirstRequest[] } {
  const delta = firstRequests(plan, { kind: "delta" }, connection);
  if (plan.declaration.source!.initialRound !== "list") return { latestLink: [], pages: delta };
  return { latestLink: delta.map((r) => ({ ...r, query: { ...r.query, $deltatoken: "latest" } })), pages: firstRequests(plan, { kind: "list" }, connection) };
}

/** Fields a declaration adds to every record of a partition (`source.inject`). */
export function injectedFields(plan: TablePlan, connection: ConnectionValues, partition: Record<string, string | number | boolean>): Record<string, unknown> {
  const inject = plan.declaration.source?.inject ?? {};
  return Object.fromEntries(Object.entries(inject).map(([k, ref]) => [k, resolveValue(ref, connection, partition)]));
}
