import type { TableTarget } from "../../plan/table-plan.js";
import type { TableState } from "../../state/table-state.js";
import type { RejectedRecord } from "../destination.js";
import type { SqlDialect } from "./dialect.js";
import { DELETED_AT, DELETED_REASON, SYNCED_AT } from "@kaivo/codegen";
import { COMPLETE_COLUMN, OP_COLUMN, PRESENT_COLUMN } from "../../sync/staged-row.js";

export const SEQ_COLUMN = "_kaivo_seq";
export const STATE_TABLE = "_kaivo_state";
export const REJECTS_TABLE = "_kaivo_rejects";
export const LEASE_KEY = "__lease__";
/** The `_kaivo_state` row naming the tenant whose data the warehouse holds. */
export const TENANT_KEY = "__tenant__";

/** The staging table's extra columns, after the target's own. */
export const STAGING_HELPER_COLUMNS = [
  { name: OP_COLUMN, type: "STRING", mode: "NULLABLE" },
  { name: COMPLETE_COLUMN, type: "BOOL", mode: "NULLABLE" },
  { name: PRESENT_COLUMN, type: "STRING", mode: "REPEATED" },
  { name: SEQ_COLUMN, type: "INT64", mode: "NULLABLE" },
] as const;

const dataColumns = (t: TableTarget) => t.columns.filter((c) => !c.system).map((c) => c.name);
const allColumns = (t: TableTarget) => t.columns.map((c) => c.name);

function keyMatch(d: SqlDialect, t: TableTarget, left: string, right: string): string {
  return t.keyColumns.map((k) => `${left}.${d.quote(k)} = ${right}.${d.quote(k)}`).join(" AND ");
}

/**
 * The staged rows, one per key, as a source for the statements below: the staging itself when no
 * key repeats, else the last row staged per key.
 */
export function stagedRows(d: SqlDialect, t: TableTarget, staging: string, keysUnique: boolean): string {
  if (keysUnique) return staging;
  const keys = t.keyColumns.map((k) => d.quote(k)).join(", ");
  return `(SELECT * FROM ${staging} WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY ${keys} ORDER BY ${d.quote(SEQ_COLUMN)} DESC) = 1)`;
}

/**
 * Counts of what a merge of `rows` (see stagedRows) will do, computed before it runs (the same query
 * on both warehouses). Of the stored row: `rewritten`, an earlier commit of the same run wrote it
 * (TableWrite.syncedAt); `deleted_this_run`, one marked it removed.
 */
export function mergeCountsQuery(d: SqlDialect, t: TableTarget, rows: string): string {
  const q = (c: string) => d.quote(c);
  const firstKey = q(t.keyColumns[0]!);
  const wasDeleted = t.incremental ? `t.${q(DELETED_AT)} IS NOT NULL` : "FALSE";
  const deletedThisRun = t.incremental ? `COALESCE(t.${q(DELETED_AT)} = s.${q(SYNCED_AT)}, FALSE)` : "FALSE";
  return [
    `SELECT s.${q(OP_COLUMN)} AS op, t.${firstKey} IS NOT NULL AS matched, ${wasDeleted} AS was_deleted, COALESCE(t.${q(SYNCED_AT)} = s.${q(SYNCED_AT)}, FALSE) AS rewritten, ${deletedThisRun} AS deleted_this_run, COUNT(*) AS n`,
    `FROM ${rows} AS s LEFT JOIN ${d.table(t.name)} AS t ON ${keyMatch(d, t, "t", "s")}`,
    `GROUP BY 1, 2, 3, 4, 5`,
  ].join("\n");
}

/**
 * The target's rows; those written by the run that stamps `syncedAt`; and those it marked removed:
 * counted before and after a merge, they tell what the merge did (countedUpsertMerge).
 */
export function rowsWrittenQuery(d: SqlDialect, t: TableTarget, syncedAt: string): string {
  const table = d.table(t.name);
  const count = (condition: string) => `(SELECT COUNT(*) FROM ${table} WHERE ${condition})`;
  const thisRun = d.timestamp(syncedAt);
  return [
    `SELECT (SELECT COUNT(*) FROM ${table}) AS n`,
    `${count(`${d.quote(SYNCED_AT)} = ${thisRun}`)} AS this_run`,
    `${t.incremental ? count(`${d.quote(DELETED_AT)} = ${thisRun}`) : "0"} AS deleted_this_run`,
  ].join(", ");
}

/**
 * Upsert of `rows` (see stagedRows) by key with Graph's partial-object semantics: a column the
 * staged row did not carry keeps its stored value; a removal sets _kaivo_deleted_at (the first
 * time) and the reason; an upsert of a removed row restores it; a patch (StagedRow.op) updates a
 * stored row as an upsert does and inserts none.
 *
 * `appendOnly`: only rows whose key is not stored are inserted; a stored row is left as it is. (On
 * BigQuery such a merge reads only the target's keys: one that may update bills the whole table.)
 *
 * `completeUpserts`: every staged row is a complete upsert (list and initial rounds), so a matched
 * row takes every column from the staged one. The merge then reads only the target's keys, not its
 * stored values: each commit of a long first sync otherwise rereads every column of all the rows
 * committed before it. (BigQuery bills a merge that may update for the whole target plus what it
 * reads: the target then no longer counts twice.)
 */
export function mergeStatement(d: SqlDialect, t: TableTarget, rows: string, { completeUpserts = false, appendOnly = false }: { completeUpserts?: boolean; appendOnly?: boolean } = {}): string {
  const q = (c: string) => d.quote(c);
  const keys = new Set(t.keyColumns);
  const patch = dataColumns(t)
    .filter((c) => !keys.has(c))
    .map((c) => `${q(c)} = ${completeUpserts ? `s.${q(c)}` : `CASE WHEN ${d.isPresent("s", c)} THEN s.${q(c)} ELSE t.${q(c)} END`}`);
  const restore = t.incremental ? [`${q(DELETED_AT)} = NULL`, `${q(DELETED_REASON)} = NULL`] : [];
  const insertColumns = [...dataColumns(t), SYNCED_AT];
  const lines = [`MERGE INTO ${d.table(t.name)} AS t`, `USING ${rows} AS s`, `ON ${keyMatch(d, t, "t", "s")}`];
  const insert = `INSERT (${insertColumns.map(q).join(", ")}) VALUES (${insertColumns.map((c) => `s.${q(c)}`).join(", ")})`;
  if (appendOnly) return [...lines, `WHEN NOT MATCHED THEN ${insert}`].join("\n");
  if (t.incremental && !completeUpserts) {
    lines.push(
      `WHEN MATCHED AND s.${q(OP_COLUMN)} = 'delete' THEN UPDATE SET ${q(DELETED_AT)} = COALESCE(t.${q(DELETED_AT)}, s.${q(SYNCED_AT)}), ${q(DELETED_REASON)} = s.${q(DELETED_REASON)}, ${q(SYNCED_AT)} = s.${q(SYNCED_AT)}`,
    );
  }
  lines.push(
    `WHEN MATCHED THEN UPDATE SET ${[...patch, `${q(SYNCED_AT)} = s.${q(SYNCED_AT)}`, ...restore].join(", ")}`,
    `WHEN NOT MATCHED${completeUpserts ? "" : ` AND s.${q(OP_COLUMN)} = 'upsert'`} THEN ${insert}`,
  );
  return lines.join("\n");
}

/**
 * Marks the live edges of removed parents `ids` as removed, for `reason` (the parents' own), and
 * written by the run that stamps `syncedAt`, as a merged removal is: a later commit of the run
 * that restores one then counts it as no change.
 */
export function endEdgesStatement(d: SqlDialect, t: TableTarget, column: string, ids: readonly string[], reason: string, syncedAt: string): string {
  const q = (c: string) => d.quote(c);
  const at = d.timestamp(syncedAt);
  return `UPDATE ${d.table(t.name)} SET ${q(DELETED_AT)} = ${at}, ${q(DELETED_REASON)} = ${d.string(reason)}, ${q(SYNCED_AT)} = ${at} WHERE ${endedEdges(d, column, ids)}`;
}

/**
 * Edges a parent's soft delete ended (`changed`: it could come back), marked as `reason` now that
 * the parent is gone for good (purged from deleted items). They keep the time they ended, and were
 * counted then.
 */
export function finalEdgesStatement(d: SqlDialect, t: TableTarget, column: string, ids: readonly string[], reason: string): string {
  const q = (c: string) => d.quote(c);
  return `UPDATE ${d.table(t.name)} SET ${q(DELETED_REASON)} = ${d.string(reason)} WHERE ${q(column)} IN (${stringList(d, ids)}) AND ${q(DELETED_REASON)} = 'changed'`;
}

/** Live edges that endEdgesStatement will mark, counted before it runs. */
export function endEdgesCountQuery(d: SqlDialect, t: TableTarget, column: string, ids: readonly string[]): string {
  return `SELECT COUNT(*) AS n FROM ${d.table(t.name)} WHERE ${endedEdges(d, column, ids)}`;
}

function endedEdges(d: SqlDialect, column: string, ids: readonly string[]): string {
  return `${d.quote(column)} IN (${stringList(d, ids)}) AND ${d.quote(DELETED_AT)} IS NULL`;
}

/** Strings as a list of SQL literals, for IN (…). */
function stringList(d: SqlDialect, values: readonly string[]): string {
  return values.map((v) => d.string(v)).join(", ");
}

/**
 * Marks rows an initial round did not see as removed ("vanished"). A row whose record Graph did
 * send, but which failed validation in the round (a reject since `syncedBefore`, the round's
 * start), was seen: it is left as it was stored.
 */
export function sweepStatement(d: SqlDialect, t: TableTarget, syncedBefore: string, now: string): string {
  const q = (c: string) => d.quote(c);
  return `UPDATE ${d.table(t.name)} AS t SET ${q(DELETED_AT)} = ${d.timestamp(now)}, ${q(DELETED_REASON)} = 'vanished' WHERE ${sweptRows(d, t, syncedBefore)}`;
}

/**
 * Rows that the sweep after merging `staging` (none when undefined) will mark, counted before
 * either runs, and before the commit's own rejects (`rejectedIds`) are stored.
 */
export function sweepCountQuery(d: SqlDialect, t: TableTarget, staging: string | undefined, syncedBefore: string, rejected: CommitRejects): string {
  const key = singleKey(t);
  const rejectedKeys = rejectedKeysOf(d, t, rejected);
  return [
    `SELECT COUNT(*) AS n FROM ${d.table(t.name)} AS t`,
    `WHERE ${sweptRows(d, t, syncedBefore)}`,
    ...(staging ? [`AND NOT EXISTS (SELECT 1 FROM ${staging} AS s WHERE ${keyMatch(d, t, "t", "s")})`] : []),
    ...(key !== undefined && rejectedKeys !== undefined ? [`AND ${keyAsText(d, key)} NOT IN (${rejectedKeys})`] : []),
  ].join("\n");
}

/** The keys of table t's records in a commit's rejects, as an IN list or a query; undefined when none. */
function rejectedKeysOf(d: SqlDialect, t: TableTarget, rejected: CommitRejects): string | undefined {
  const ids = rejected.records.filter((r) => r.table === t.name && r.recordId !== null).map((r) => r.recordId!);
  if (ids.length === 0) return undefined;
  return rejected.staged ? `SELECT record_id FROM ${rejected.staged} WHERE table_name = ${d.string(t.name)} AND record_id IS NOT NULL` : stringList(d, ids);
}

/**
 * The stored rows (alias t) a full refresh of `rows` (see stagedRows) keeps: those of the records
 * it rejected, unless it stages another row of the same key. As a delta table's stored row of a
 * rejected record stays as it was, so does a full-refresh table's, rather than vanish (a user's
 * sign-in activity, say, which the views would then read as none). Undefined when there are none
 * to keep, or the table has no single key that rejects name.
 */
export function keptByReplace(d: SqlDialect, t: TableTarget, rows: string, rejected: CommitRejects): string | undefined {
  const key = singleKey(t);
  const rejectedKeys = rejectedKeysOf(d, t, rejected);
  if (key === undefined || rejectedKeys === undefined) return undefined;
  return `${keyAsText(d, key)} IN (${rejectedKeys}) AND t.${d.quote(key)} NOT IN (SELECT s.${d.quote(key)} FROM ${rows} AS s)`;
}

/** A commit's rejects, and where a host that loads them first (BigQuery, for large ones) staged them. */
export interface CommitRejects {
  records: readonly RejectedRecord[];
  /** A relation with table_name, record_id, reason and raw_json: the records, loaded. */
  staged?: string | undefined;
}

/** The condition on target rows (alias t) that the sweep marks: not written since `syncedBefore`, not rejected since. */
function sweptRows(d: SqlDialect, t: TableTarget, syncedBefore: string): string {
  const q = (c: string) => d.quote(c);
  const since = d.timestamp(syncedBefore);
  const conditions = [`t.${q(DELETED_AT)} IS NULL`, `t.${q(SYNCED_AT)} < ${since}`];
  const key = singleKey(t);
  if (key !== undefined) {
    conditions.push(
      `NOT EXISTS (SELECT 1 FROM ${d.table(REJECTS_TABLE)} AS r WHERE r.table_name = ${d.string(t.name)} AND r.rejected_at >= ${since} AND r.record_id = ${keyAsText(d, key)})`,
    );
  }
  return conditions.join(" AND ");
}

/**
 * Per table of `tables`, how many records `_kaivo_rejects` holds that the table has no row of
 * (rows of `table_name` and `n`; none for a table that lacks none). A record without an id counts
 * once per row. Undefined when no table is keyed by one column, which is what a reject names.
 */
function rejectedNotStoredQuery(d: SqlDialect, tables: readonly TableTarget[]): string | undefined {
  const missing = tables.flatMap((t) => {
    const key = singleKey(t);
    if (key === undefined) return [];
    const stored = `SELECT 1 FROM ${d.table(t.name)} AS t WHERE ${keyAsText(d, key)} = r.record_id`;
    return [`SELECT r.table_name, r.record_id FROM ${d.table(REJECTS_TABLE)} AS r WHERE r.table_name = ${d.string(t.name)} AND NOT EXISTS (${stored})`];
  });
  if (missing.length === 0) return undefined;
  return `SELECT table_name, COUNT(DISTINCT record_id) + SUM(CASE WHEN record_id IS NULL THEN 1 ELSE 0 END) AS n FROM (${missing.join(" UNION ALL ")}) AS m GROUP BY table_name`;
}

/** Destination.rejectedNotStored, through a destination's `query`. */
export async function readRejectedNotStored(d: SqlDialect, tables: readonly TableTarget[], query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<Map<string, number>> {
  const sql = rejectedNotStoredQuery(d, tables);
  const rows = sql === undefined ? [] : await query(sql);
  return new Map(rows.map((r) => [String(r.table_name), Number(r.n)]));
}

/** The key column of a table keyed by one column: a reject records that one, as text, so only such tables match rejects. */
function singleKey(t: TableTarget): string | undefined {
  return t.keyColumns.length === 1 ? t.keyColumns[0] : undefined;
}

/** Target row t's key column as text, as a reject records it. */
function keyAsText(d: SqlDialect, key: string): string {
  return `CAST(t.${d.quote(key)} AS ${d.type({ type: "STRING", mode: "NULLABLE" })})`;
}

/**
 * Counts for a full refresh of `rows` (see stagedRows): rows new to the table, rows rewritten, rows
 * before, and rows kept as they were (`keep`: see keptByReplace).
 */
export function replaceCountsQuery(d: SqlDialect, t: TableTarget, rows: string, keep?: string): string {
  const firstKey = d.quote(t.keyColumns[0]!);
  return [
    `SELECT`,
    `  (SELECT COUNT(*) FROM ${rows} AS s LEFT JOIN ${d.table(t.name)} AS t ON ${keyMatch(d, t, "t", "s")} WHERE t.${firstKey} IS NULL) AS inserted,`,
    `  (SELECT COUNT(*) FROM ${rows} AS s JOIN ${d.table(t.name)} AS t ON ${keyMatch(d, t, "t", "s")}) AS updated,`,
    `  (SELECT COUNT(*) FROM ${d.table(t.name)}) AS before_count,`,
    `  ${keep ? `(SELECT COUNT(*) FROM ${d.table(t.name)} AS t WHERE ${keep})` : "0"} AS kept`,
  ].join("\n");
}

/** `rows` (see stagedRows) in the target's column order, for a replace. */
export function replaceSelect(d: SqlDialect, t: TableTarget, rows: string): string {
  return `SELECT ${allColumns(t).map((c) => d.quote(c)).join(", ")} FROM ${rows}`;
}

/**
 * One MERGE rather than a DELETE and an INSERT: every commit writes its table's state, and BigQuery
 * takes at most 25 DML statements per 10 s on one table (bigquery.md section 2.2).
 */
export function stateUpsertStatements(d: SqlDialect, table: string, state: TableState, runId: string, now: string): string[] {
  const source = `SELECT ${d.string(table)} AS table_name, ${d.string(JSON.stringify(state))} AS state, ${d.string(runId)} AS run_id, ${d.timestamp(now)} AS updated_at`;
  return [
    [
      `MERGE INTO ${d.table(STATE_TABLE)} AS t USING (${source}) AS s ON t.table_name = s.table_name`,
      "WHEN MATCHED THEN UPDATE SET state = s.state, run_id = s.run_id, updated_at = s.updated_at",
      "WHEN NOT MATCHED THEN INSERT (table_name, state, run_id, updated_at) VALUES (s.table_name, s.state, s.run_id, s.updated_at)",
    ].join("\n"),
  ];
}

/**
 * Stores a commit's rejects: one row per distinct rejected record (table, record id, reason and raw
 * JSON), carrying the run and time that last rejected it. A record read and rejected again as it was
 * (a full refresh's every run, an audit event inside the look-back) updates its row instead of
 * adding another.
 */
export function rejectsMergeStatement(d: SqlDialect, rejects: CommitRejects, runId: string, now: string): string | undefined {
  if (rejects.records.length === 0) return undefined;
  const source = rejects.staged ? `(SELECT DISTINCT ${STAGED_REJECT_COLUMNS.join(", ")} FROM ${rejects.staged})` : d.literalRows(STAGED_REJECT_COLUMNS, distinctRejects(d, rejects.records));
  const [run, at] = [d.string(runId), d.timestamp(now)];
  return [
    `MERGE INTO ${d.table(REJECTS_TABLE)} AS t`,
    `USING ${source} AS s`,
    // A record without an id is told apart by its raw JSON, which would carry an id.
    `ON t.table_name = s.table_name AND COALESCE(t.record_id, '') = COALESCE(s.record_id, '') AND t.reason = s.reason AND t.raw_json = s.raw_json`,
    `WHEN MATCHED THEN UPDATE SET run_id = ${run}, rejected_at = ${at}`,
    `WHEN NOT MATCHED THEN INSERT (table_name, record_id, reason, raw_json, run_id, rejected_at) VALUES (s.table_name, s.record_id, s.reason, s.raw_json, ${run}, ${at})`,
  ].join("\n");
}

/** Rejects as rows of literals, each distinct record once (Graph may send a record twice; a merge takes one source row per target row). */
function distinctRejects(d: SqlDialect, records: readonly RejectedRecord[]): string[][] {
  const rows = new Map<string, string[]>();
  const noId = `CAST(NULL AS ${d.type({ type: "STRING", mode: "NULLABLE" })})`;
  for (const r of records) {
    const row = [d.string(r.table), r.recordId === null ? noId : d.string(r.recordId), d.string(r.reason), d.string(r.rawJson)];
    rows.set(JSON.stringify([r.table, r.recordId, r.reason, r.rawJson]), row);
  }
  return [...rows.values()];
}

/** The columns of staged rejects (see CommitRejects.staged). */
export const STAGED_REJECT_COLUMNS = ["table_name", "record_id", "reason", "raw_json"] as const;

/** The system tables, as column lists both dialects render. */
export const SYSTEM_TABLES = {
  [STATE_TABLE]: [
    ["table_name", "STRING"],
    ["state", "STRING"],
    ["run_id", "STRING"],
    ["updated_at", "TIMESTAMP"],
  ],
  [REJECTS_TABLE]: [
    ["table_name", "STRING"],
    ["record_id", "STRING"],
    ["reason", "STRING"],
    ["raw_json", "STRING"],
    ["run_id", "STRING"],
    ["rejected_at", "TIMESTAMP"],
  ],
} as const;
