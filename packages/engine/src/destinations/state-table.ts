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
   *
   * Each run writes a lease row of its own. Two runs that start together may both find no live
   * lease and both write one (BigQuery has no lock to take first): reading the leases back, the one
   * taken later (by its acquiredAt, then run id) withdraws.
   */
  async acquireLease(lease: LeaseRequest): Promise<void> {
    const held = (await this.liveLeases(lease.runId))[0];
    if (held) throw new LeaseHeldError(held.holder, held.expiresAt, this.access.location);
    const tenant = (await this.ownRows()).get(TENANT_KEY) as TenantRecord | undefined;
    if (tenant && !holdsTenant(tenant.tenantId, lease)) throw new OtherTenantError(tenant.tenantId, lease.tenantId, this.access.location);
    const acquiredAt = this.access.now().toISOString();
    await this.writeLease({ ...lease, acquiredAt });
    const earlier = (await this.liveLeases(lease.runId)).find((other) => (other.acquiredAt ?? "") < acquiredAt || ((other.acquiredAt ?? "") === acquiredAt && other.runId < lease.runId));
    if (earlier) {
      await this.releaseLease(lease.runId);
      throw new LeaseHeldError(earlier.holder, earlier.expiresAt, this.access.location);
    }
    // Leases that runs killed on the way left behind go with the next run that takes one.
    const stale = (await this.leases()).filter((l) => l.runId !== lease.runId && !leaseIsLive(l, this.access.now(), hostname()));
    if (stale.length > 0) await this.access.write([`DELETE FROM ${this.table} WHERE table_name = '${LEASE_KEY}' AND run_id IN (${stale.map((l) => this.access.dialect.string(l.runId)).join(", ")})`]);
    // The first run records the tenant; by its GUID where the token names it, which then also
    // replaces the name an earlier run recorded (a domain), so that the config may use either.
    const recorded = lease.signedInTenantId ?? lease.tenantId;
    if (!tenant || (lease.signedInTenantId !== undefined && tenant.tenantId !== recorded)) {
      const record: TenantRecord = { tenantId: recorded };
      await this.access.write(stateUpsertStatements(this.access.dialect, TENANT_KEY, record as never, lease.runId, this.access.now().toISOString()));
    }
  }

  /** Takes or extends this run's lease until now + ttl (`acquiredAt`: kept from when it was first taken). */
  async writeLease(lease: LeaseRequest & { acquiredAt?: string }): Promise<void> {
    const now = this.access.now();
    const acquiredAt = lease.acquiredAt ?? (await this.leases()).find((l) => l.runId === lease.runId)?.acquiredAt ?? now.toISOString();
    const record: LeaseRecord = {
      runId: lease.runId, holder: lease.holder, host: hostname(), pid: process.pid, processStartedMs: PROCESS_STARTED_MS,
      acquiredAt, expiresAt: new Date(now.getTime() + lease.ttlMs).toISOString(),
    };
    const d = this.access.dialect;
    await this.access.write([
      `DELETE FROM ${this.table} WHERE table_name = '${LEASE_KEY}' AND run_id = ${d.string(lease.runId)}`,
      `INSERT INTO ${this.table} (table_name, state, run_id, updated_at) VALUES ('${LEASE_KEY}', ${d.string(JSON.stringify(record))}, ${d.string(lease.runId)}, ${d.timestamp(now.toISOString())})`,
    ]);
  }

  releaseLease(runId: string): Promise<void> {
    return this.access.write([`DELETE FROM ${this.table} WHERE table_name = '${LEASE_KEY}' AND run_id = ${this.access.dialect.string(runId)}`]);
  }

  /** Live leases of runs other than `runId`, oldest first. */
  private async liveLeases(runId: string): Promise<LeaseRecord[]> {
    const now = this.access.now();
    return (await this.leases())
      .filter((l) => l.runId !== runId && leaseIsLive(l, now, hostname()))
      .sort((a, b) => ((a.acquiredAt ?? "") < (b.acquiredAt ?? "") ? -1 : 1));
  }

  private async leases(): Promise<LeaseRecord[]> {
    const rows = await this.access.query(`SELECT state FROM ${this.table} WHERE table_name = '${LEASE_KEY}'`);
    return rows.map((r) => JSON.parse(String(r.state)) as LeaseRecord);
  }

  /** The tenant whose data the warehouse holds (recorded by its first run), if any run has recorded one. */
  async tenant(): Promise<string | undefined> {
    return ((await this.ownRows()).get(TENANT_KEY) as TenantRecord | undefined)?.tenantId;
  }

  async readAll(): Promise<Map<string, TableState>> {
    return (await this.rowsWhere(`table_name NOT IN ${OWN_ROWS}`)) as Map<string, TableState>;
  }

  /**
   * Forgets the state of the named tables (every table's when empty; the lease and the tenant stay)
   * but the key their rows were merged by: a run that would merge them by another is still refused
   * (KeyChangedError). Refused while a run holds the lease: its next commit would write the state back.
   */
  async reset(tables: readonly string[]): Promise<void> {
    const held = (await this.liveLeases(""))[0];
    if (held) throw new LeaseHeldError(held.holder, held.expiresAt, this.access.location);
    const d = this.access.dialect;
    const where = tables.length === 0 ? `table_name NOT IN ${OWN_ROWS}` : `table_name IN (${tables.map((t) => d.string(t)).join(", ")})`;
    const now = this.access.now().toISOString();
    const keys = [...(await this.rowsWhere(where))].flatMap(([table, state]) => {
      const { key } = state as TableState;
      return key ? stateUpsertStatements(d, table, { key }, "state reset", now) : [];
    });
    return this.access.write([`DELETE FROM ${this.table} WHERE ${where}`, ...keys]);
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

/** Whether two tenant ids name the same tenant as written: GUIDs compare without regard to case, as do domain names. */
export function sameTenant(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether the tenant a warehouse recorded (`stored`) is the run's, by either of its names. */
export function holdsTenant(stored: string, tenant: Pick<LeaseRequest, "tenantId" | "signedInTenantId">): boolean {
  return sameTenant(stored, tenant.tenantId) || (tenant.signedInTenantId !== undefined && sameTenant(stored, tenant.signedInTenantId));
}
