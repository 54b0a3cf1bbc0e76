import { hostname } from "node:os";
import type { TableState } from "../state/table-state.js";
import type { LeaseRequest } from "./destination.js";
import { LeaseHeldError, OtherTenantError } from "./errors.js";
import { leaseIsLive, type LeaseRecord } from "./lease.js";
import { PROCESS_STARTED_MS } from "../process-is-alive.js";
import type { SqlDialect } from "./sql/dialect.js";
import { LEASE_KEY, stateUpsertStatements, STATE_TABLE, TENANT_KEY } from "./sql/sync-sql.js";

/** How a destination reads its `_kaivo_state` table and applies statements to it atomically. */
export interface StateTableAccess {
  dialect: SqlDialect;
  query(sql: string): Promise<ReadonlyArray<Record<string, unknown>>>;
  /** Runs the statements in one transaction. */
  write(statements: readonly string[]): Promise<void>;
  now(): Date;
  /** Where the data goes, for the lease message. */
  location: string;
}

/**
 * `_kaivo_state` as every warehouse keeps it: one row per table (its state as JSON) plus the lease
 * row. The destinations differ only in how they run the SQL.
 */
export class StateTable {
  constructor(private readonly access: StateTableAccess) {}

  private get table(): string {
    return this.access.dialect.table(STATE_TABLE);
  }

  /**
   * Refuses with LeaseHeldError while another live run holds the lease, and with OtherTenantError
   * when the warehouse holds another tenant's data; otherwise takes the lease (and, the first
   * time, records the tenant).
   */
  async acquireLease(lease: LeaseRequest): Promise<void> {
    const rows = await this.ownRows();
    const current = rows.get(LEASE_KEY) as LeaseRecord | undefined;
    if (current && current.runId !== lease.runId && leaseIsLive(current, this.access.now(), hostname())) {
      throw new LeaseHeldError(current.holder, current.expiresAt, this.access.location);
    }
    const tenant = rows.get(TENANT_KEY) as TenantRecord | undefined;
    if (tenant && tenant.tenantId !== lease.tenantId) throw new OtherTenantError(tenant.tenantId, lease.tenantId, this.access.location);
    await this.writeLease(lease);
    if (!tenant) {
      const record: TenantRecord = { tenantId: lease.tenantId };
      await this.access.write(stateUpsertStatements(this.access.dialect, TENANT_KEY, record as never, lease.runId, this.access.now().toISOString()));
    }
  }

  /** Takes or extends the lease until now + ttl. */
  writeLease(lease: LeaseRequest): Promise<void> {
    const now = this.access.now();
    const record: LeaseRecord = { runId: lease.runId, holder: lease.holder, host: hostname(), pid: process.pid, processStartedMs: PROCESS_STARTED_MS, expiresAt: new Date(now.getTime() + lease.ttlMs).toISOString() };
    return this.access.write(stateUpsertStatements(this.access.dialect, LEASE_KEY, record as never, lease.runId, now.toISOString()));
  }

  releaseLease(runId: string): Promise<void> {
    return this.access.write([`DELETE FROM ${this.table} WHERE table_name = '${LEASE_KEY}' AND run_id = ${this.access.dialect.string(runId)}`]);
  }

  /** The tenant whose data the warehouse holds (recorded by its first run), if any run has recorded one. */
  async tenant(): Promise<string | undefined> {
    return ((await this.ownRows()).get(TENANT_KEY) as TenantRecord | undefined)?.tenantId;
  }

  async readAll(): Promise<Map<string, TableState>> {
    return (await this.rowsWhere(`table_name NOT IN ${OWN_ROWS}`)) as Map<string, TableState>;
  }

  /** Deletes the state of the named tables (every table's when empty; the lease and the tenant stay). */
  reset(tables: readonly string[]): Promise<void> {
    const where = tables.length === 0 ? `table_name NOT IN ${OWN_ROWS}` : `table_name IN (${tables.map((t) => this.access.dialect.string(t)).join(", ")})`;
    return this.access.write([`DELETE FROM ${this.table} WHERE ${where}`]);
  }

  /** The rows that are Kaivo's own (the lease, the tenant), parsed. */
  private ownRows(): Promise<Map<string, unknown>> {
    return this.rowsWhere(`table_name IN ${OWN_ROWS}`);
  }

  private async rowsWhere(condition: string): Promise<Map<string, unknown>> {
    const rows = await this.access.query(`SELECT table_name, state FROM ${this.table} WHERE ${condition}`);
    return new Map(rows.map((r) => [String(r.table_name), JSON.parse(String(r.state)) as unknown]));
  }
}

/** The rows of `_kaivo_state` that belong to no table. */
const OWN_ROWS = `('${LEASE_KEY}', '${TENANT_KEY}')`;

/** The tenant row: the tenant whose data the warehouse holds. */
interface TenantRecord {
  tenantId: string;
}
