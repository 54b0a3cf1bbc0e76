import { loadDeclarations, type FieldSchema, type TableDeclaration } from "@kaivo/codegen";
import type { GraphSimulator } from "@kaivo/simulator";
import { fileURLToPath } from "node:url";
import type { TestTenant } from "./tenant.js";

/**
 * The test oracle: what the warehouse must hold, computed from the simulator's objects and the
 * declarations with the design's rules, independently of the engine's code.
 */
export const declarations: TableDeclaration[] = loadDeclarations(fileURLToPath(new URL("../../tables", import.meta.url)));
export const declaration = (name: string): TableDeclaration => declarations.find((d) => d.name === name)!;

const snake = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();

/** Any timestamp text as `YYYY-MM-DDTHH:MM:SS.ffffff` (microseconds, UTC), or null for Graph's "never". */
function timestamp(value: unknown): string | null {
  if (value === null || value === undefined || value === "" || String(value).startsWith("0001-01-01")) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(String(value));
  if (!m) throw new Error(`not a timestamp: ${String(value)}`);
  return `${m[1]}T${m[2]}.${(m[3] ?? "").slice(0, 6).padEnd(6, "0")}`;
}

const typeOf = (s: FieldSchema) => (Array.isArray(s.type) ? s.type : [s.type]).find((t) => t !== "null");
const isJson = (s: FieldSchema) => s["x-kaivo-as"] === "json" || (typeOf(s) === "object" && Object.keys(s.properties ?? {}).length === 0);

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  return value;
}

/** A Graph value as its warehouse column must read back. */
function fromGraph(schema: FieldSchema, value: unknown): unknown {
  if (isJson(schema)) return value === undefined || value === null ? null : sortKeys(value);
  if (typeOf(schema) === "array") return Array.isArray(value) ? value.filter((v) => v !== null).map((v) => fromGraph(schema.items as FieldSchema, v)) : [];
  if (value === undefined || value === null) return null;
  if (typeOf(schema) === "object") {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [snake(k), fromGraph(s as FieldSchema, (value as Record<string, unknown>)[k])]));
  }
  if (schema.format === "date-time") return timestamp(value);
  return value;
}

/** A warehouse value (as `queryJson` returns it) in the same normal form. */
function fromWarehouse(schema: FieldSchema, value: unknown): unknown {
  if (isJson(schema)) return value === null ? null : sortKeys(typeof value === "string" ? JSON.parse(value) : value);
  if (typeOf(schema) === "array") return ((value as unknown[] | null) ?? []).map((v) => fromWarehouse(schema.items as FieldSchema, v));
  if (value === null || value === undefined) return null;
  if (typeOf(schema) === "object") {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [snake(k), fromWarehouse(s as FieldSchema, (value as Record<string, unknown>)[snake(k)])]));
  }
  if (schema.format === "date-time") return timestamp(value);
  return value;
}

function normalRow(d: TableDeclaration, record: Record<string, unknown>, side: "graph" | "warehouse"): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(d.schema.properties)) {
    row[snake(field)] = side === "graph" ? fromGraph(schema, record[field]) : fromWarehouse(schema, record[snake(field)]);
  }
  return row;
}

const keyOf = (d: TableDeclaration, row: Record<string, unknown>) => JSON.stringify(d.primaryKey.map((k) => row[snake(k)]));
const sortRows = (d: TableDeclaration, rows: Record<string, unknown>[]) => rows.sort((a, b) => (keyOf(d, a) < keyOf(d, b) ? -1 : 1));

/** The Graph records of a table as the tenant holds them now. */
export function tenantRecords(sim: GraphSimulator, table: string, auditsSince?: Date): Array<Record<string, unknown>> {
  const c = sim.control;
  const all = (collection: Parameters<typeof c.objects>[0]) => [...c.objects(collection)] as Array<Record<string, unknown>>;
  switch (table) {
    case "users":
      return all("users");
    case "user_sign_in_activity":
      return all("users").map((u) => ({ id: u.id, signInActivity: u.signInActivity }));
    case "groups":
      return all("groups");
    case "applications":
      return all("applications");
    case "serviceprincipals":
      return all("servicePrincipals");
    case "directoryroles":
      return all("directoryRoles");
    case "directoryroletemplates":
      return all("directoryRoleTemplates");
    case "identityproviders":
      return all("identityProviders");
    case "directoryaudits":
      return all("directoryAudits").filter((e) => !auditsSince || new Date(String(e.activityDateTime)) >= auditsSince);
    case "adminconsentrequestpolicy":
      return [{ ...c.adminConsentRequestPolicy(), tenantId: sim.tenantId }];
    case "user_owned_deleted_items":
      return (["Group", "Application"] as const).flatMap((type) =>
        c.deletedItems(sim.userId, type).map((o) => ({ "@odata.type": `#microsoft.graph.${type.toLowerCase()}`, ...o, ownerUserId: sim.userId, objectKind: type })),
      );
    case "group_members":
      return [...c.groupMemberships()].map((e) => ({ groupId: e.parentId, memberId: e.memberId, memberType: e.memberType }));
    case "group_owners":
      return [...c.groupOwnerships()].map((e) => ({ groupId: e.parentId, ownerId: e.memberId, ownerType: e.memberType }));
    case "directoryrole_members":
      return [...c.directoryRoleMemberships()].map((e) => ({ roleId: e.parentId, memberId: e.memberId, memberType: e.memberType }));
    default:
      throw new Error(`no oracle for ${table}`);
  }
}

/**
 * A run reads audits from 30 days before its own "now", which a test can only bracket (it takes its
 * `auditsSince` a little before or after the run): an event that close to the window's start may
 * or may not have been synced, so both sides of a comparison leave out those within ten minutes.
 */
const AUDIT_EDGE_MS = 10 * 60_000;

function outsideAuditEdge(table: string, rows: Record<string, unknown>[], auditsSince: Date | undefined): Record<string, unknown>[] {
  if (table !== "directoryaudits" || auditsSince === undefined) return rows;
  return rows.filter((r) => Math.abs(Date.parse(String(r.activity_date_time)) - auditsSince.getTime()) >= AUDIT_EDGE_MS);
}

export function expectedRows(sim: GraphSimulator, table: string, auditsSince?: Date): Record<string, unknown>[] {
  const d = declaration(table);
  return sortRows(d, outsideAuditEdge(table, tenantRecords(sim, table, auditsSince).map((r) => normalRow(d, r, "graph")), auditsSince));
}

/** The table's live rows (not marked deleted), in the oracle's normal form; `auditsSince` as for expectedRows. */
export async function warehouseRows(tenant: Pick<TestTenant, "query">, table: string, auditsSince?: Date): Promise<Record<string, unknown>[]> {
  const d = declaration(table);
  return sortRows(d, outsideAuditEdge(table, (await tenant.query((t) => `SELECT * FROM ${t(table)} WHERE _kaivo_deleted_at IS NULL`)).map((r) => normalRow(d, r, "warehouse")), auditsSince));
}
