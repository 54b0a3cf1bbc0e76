import type { TableTarget } from "../../plan/table-plan.js";
import type { CommitRequest, RejectedRecord, TableWrite, WriteCounts } from "../destination.js";
import { countsFromMergeRows } from "../write-counts.js";
import type { SqlDialect } from "./dialect.js";
import {
  endEdgesCountQuery,
  endEdgesStatement,
  finalEdgesStatement,
  mergeCountsQuery,
  mergeStatement,
  rejectsMergeStatement,
  keptByReplace,
  replaceCountsQuery,
  replaceSelect,
  rowsWrittenQuery,
  stagedRows,
  stateUpsertStatements,
  sweepCountQuery,
  sweepStatement,
  type CommitRejects,
} from "./sync-sql.js";

/**
 * Rejects above this many characters of raw JSON and reasons, or this many records, are loaded
 * rather than written as literals (where the host can: BigQuery's literal rows are a UNION ALL).
 */
const STAGE_REJECTS_ABOVE_CHARS = 256 * 1024;
const STAGE_REJECTS_ABOVE_RECORDS = 200;

/** What a destination provides to turn a commit request into SQL: staging and reads, in its own way. */
export interface CommitScriptHost {
  dialect: SqlDialect;
  /** Makes a write's staged files readable in SQL (a loaded staging table, or the files read in place); returns the reference. */
  stage(write: TableWrite): Promise<string>;
  query(sql: string): Promise<ReadonlyArray<Record<string, unknown>>>;
  /**
   * Loads rejects too many or too long to write as literals (BigQuery takes 1,024K characters of
   * SQL); returns the relation holding them (STAGED_REJECT_COLUMNS).
   */
  stageRejects?(rejects: readonly RejectedRecord[]): Promise<string>;
  /**
   * The transaction reports how many rows each UPDATE changed, and hands small queries' rows back
   * as it runs (DuckDB): a sweep, and a merge of upserts (by counts of the target around it), are
   * then counted as they run, with no join of staged rows and target before them.
   */
  reportsRowsChanged: boolean;
}

/** One statement of the commit's transaction, and (at most one of) what it hands to the counts. */
export interface CommitStatement {
  sql: string;
  /** Given the number of rows the statement changed (only from hosts that report it). */
  onRowsChanged?: (changed: number) => void;
  /** Given the rows the statement, a small query, returns. */
  onRows?: (rows: ReadonlyArray<Record<string, unknown>>) => void;
}

/**
 * The statements of one atomic commit (merge or replace per table, sweeps, rejects, states) and the
 * counts of what they do: computed before they run, or tallied from what they return. Shared by
 * every warehouse: only staging, reading and the transaction around the statements differ.
 */
export async function buildCommitScript(host: CommitScriptHost, request: CommitRequest, now: string): Promise<{ statements: CommitStatement[]; counts: Map<string, WriteCounts> }> {
  const d = host.dialect;
  const counts = new Map<string, WriteCounts>();
  // Rejects go in first: a sweep leaves the rows of the round's rejected records as they were.
  const largeRejects =
    host.stageRejects &&
    (request.rejects.length > STAGE_REJECTS_ABOVE_RECORDS || request.rejects.reduce((n, r) => n + r.rawJson.length + r.reason.length, 0) > STAGE_REJECTS_ABOVE_CHARS);
  const rejected: CommitRejects = { records: request.rejects, staged: largeRejects ? await host.stageRejects!(request.rejects) : undefined };
  const rejects = rejectsMergeStatement(d, rejected, request.runId, now);
  const statements: CommitStatement[] = rejects ? [{ sql: rejects }] : [];
  for (const write of request.writes) {
    const t = write.target;
    const tableCounts: WriteCounts = { inserted: 0, updated: 0, deleted: 0 };
    counts.set(t.name, tableCounts);
    if (write.mode === "replace") {
      const rows = stagedRows(d, t, await host.stage(write), write.keysUnique);
      const keep = keptByReplace(d, t, rows, rejected);
      const row = (await host.query(replaceCountsQuery(d, t, rows, keep)))[0]!;
      const updated = Number(row.updated);
      Object.assign(tableCounts, { inserted: Number(row.inserted), updated, deleted: Number(row.before_count) - updated - Number(row.kept) });
      statements.push(...d.replaceTable(t, replaceSelect(d, t, rows), keep).map((sql) => ({ sql })));
      continue;
    }
    /**
     * A statement that marks rows removed, counted as deleted: as it runs where the host reports
     * rows changed, otherwise by `countQuery` beforehand.
     */
    const markRemoved = async (sql: string, countQuery: () => string): Promise<void> => {
      if (host.reportsRowsChanged) {
        statements.push({ sql, onRowsChanged: (changed) => (tableCounts.deleted += changed) });
        return;
      }
      tableCounts.deleted += Number((await host.query(countQuery()))[0]?.n ?? 0);
      statements.push({ sql });
    };
    const endEdgesOf = async (byReason: Record<string, string[]> | undefined): Promise<void> => {
      for (const [reason, ids] of Object.entries(byReason ?? {})) {
        const column = write.endedParents!.column;
        await markRemoved(endEdgesStatement(d, t, column, ids, reason, write.syncedAt), () => endEdgesCountQuery(d, t, column, ids));
        if (reason === "deleted") statements.push({ sql: finalEdgesStatement(d, t, column, ids, reason) });
      }
    };
    await endEdgesOf(write.endedParents?.beforeMerge);
    // A merge with nothing staged changes nothing (a sweep may still follow).
    const staging = write.rows > 0 ? await host.stage(write) : undefined;
    if (staging !== undefined) {
      const rows = stagedRows(d, t, staging, write.keysUnique);
      const appendOnly = write.mode === "append";
      const merge = mergeStatement(d, t, rows, { completeUpserts: write.deletes === 0 && write.partials === 0, appendOnly });
      if (host.reportsRowsChanged && write.deletes === 0) {
        // Every staged row is an upsert or a patch: counts of the target before and after the merge tell its inserts and updates.
        statements.push(...countedUpsertMerge(d, write, merge, tableCounts));
      } else {
        const merged = countsFromMergeRows(await host.query(mergeCountsQuery(d, t, rows)));
        // An append leaves a stored row as it is: matched rows change nothing. Added to what the
        // ended edges counted before the merge, not in their place.
        tableCounts.inserted += merged.inserted;
        tableCounts.updated += appendOnly ? 0 : merged.updated;
        tableCounts.deleted += merged.deleted;
        statements.push({ sql: merge });
      }
    }
    // Counted beforehand (BigQuery), edges this write added and then ended are counted as inserted only.
    await endEdgesOf(write.endedParents?.afterMerge);
    const syncedBefore = write.sweepSyncedBefore;
    if (syncedBefore) {
      // Run after the merge, the sweep finds the rows it wrote newer than the round's start and marks exactly the vanished ones;
      // counted beforehand, the merge's staged rows and the commit's own rejects are left out.
      await markRemoved(sweepStatement(d, t, syncedBefore, now), () => sweepCountQuery(d, t, staging, syncedBefore, rejected));
    }
  }
  for (const { table, state } of request.states) statements.push(...stateUpsertStatements(d, table, state, request.runId, now).map((sql) => ({ sql })));
  return { statements, counts };
}

/**
 * A merge of upserts between two counts of the target (rowsWrittenQuery): the rows it added are
 * inserts; the others it stamped with the run's synced-at are updates (not those an earlier commit
 * of the run had stamped); the rows an earlier commit of the run removed that it restores are not
 * deleted after all.
 * (RETURNING would hand a row per changed row to JavaScript, fetched in chunks of 2,048; replaying
 * a sync's commits beside a busy event loop, that took several times the merge.)
 */
function countedUpsertMerge(d: SqlDialect, write: TableWrite, merge: string, counts: WriteCounts): CommitStatement[] {
  const countRows = rowsWrittenQuery(d, write.target, write.syncedAt);
  let before = { n: 0, thisRun: 0, deletedThisRun: 0 };
  const read = (r: ReadonlyArray<Record<string, unknown>>) => ({ n: Number(r[0]?.n ?? 0), thisRun: Number(r[0]?.this_run ?? 0), deletedThisRun: Number(r[0]?.deleted_this_run ?? 0) });
  return [
    { sql: countRows, onRows: (r) => (before = read(r)) },
    { sql: merge },
    {
      sql: countRows,
      onRows: (r) => {
        const after = read(r);
        const inserted = after.n - before.n;
        counts.inserted += inserted;
        counts.updated += after.thisRun - before.thisRun - inserted;
        counts.deleted += after.deletedThisRun - before.deletedThisRun;
      },
    },
  ];
}
