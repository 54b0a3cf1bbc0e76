import type { CommitRequest, TableWrite, WriteCounts } from "../destination.js";
import { countsFromMergeRows } from "../write-counts.js";
import type { SqlDialect } from "./dialect.js";
import {
  mergeCountsQuery,
  mergeStatement,
  rejectsInsertStatement,
  replaceCountsQuery,
  replaceSelect,
  stagedRows,
  stateUpsertStatements,
  sweepCountQuery,
  sweepStatement,
} from "./sync-sql.js";

/** What a destination provides to turn a commit request into SQL: staging and reads, in its own way. */
export interface CommitScriptHost {
  dialect: SqlDialect;
  /** Makes a write's staged files readable in SQL (a loaded staging table, or the files read in place); returns the reference. */
  stage(write: TableWrite): Promise<string>;
  query(sql: string): Promise<ReadonlyArray<Record<string, unknown>>>;
  /**
   * MERGE and UPDATE can return a row per row they change (DuckDB's RETURNING): a merge of upserts
   * and a sweep are then counted as they run, with no query before them.
   */
  returning: boolean;
}

/** One statement of the commit's transaction; `tally` adds what its returned rows report to the counts. */
export interface CommitStatement {
  sql: string;
  tally?: (returned: ReadonlyArray<Record<string, unknown>>) => void;
}

/**
 * The statements of one atomic commit (merge or replace per table, sweeps, rejects, states) and the
 * counts of what they do: computed before they run, or tallied from what they return. Shared by
 * every warehouse: only staging, reading and the transaction around the statements differ.
 */
export async function buildCommitScript(host: CommitScriptHost, request: CommitRequest, now: string): Promise<{ statements: CommitStatement[]; counts: Map<string, WriteCounts> }> {
  const d = host.dialect;
  const counts = new Map<string, WriteCounts>();
  const statements: CommitStatement[] = [];
  for (const write of request.writes) {
    const t = write.target;
    const tableCounts: WriteCounts = { inserted: 0, updated: 0, deleted: 0 };
    counts.set(t.name, tableCounts);
    if (write.mode === "replace") {
      const rows = stagedRows(d, t, await host.stage(write), write.keysUnique);
      const row = (await host.query(replaceCountsQuery(d, t, rows)))[0]!;
      const updated = Number(row.updated);
      Object.assign(tableCounts, { inserted: Number(row.inserted), updated, deleted: Number(row.before_count) - updated });
      statements.push(...d.replaceTable(t, replaceSelect(d, t, rows)).map((sql) => ({ sql })));
      continue;
    }
    // A merge with nothing staged changes nothing (a sweep may still follow).
    const staging = write.rows > 0 ? await host.stage(write) : undefined;
    if (staging !== undefined) {
      const rows = stagedRows(d, t, staging, write.keysUnique);
      if (host.returning && write.deletes === 0) {
        // Every staged row is an upsert: each is inserted or updated, as the merge reports.
        statements.push({ sql: `${mergeStatement(d, t, rows)}\nRETURNING merge_action`, tally: (returned) => tallyMergeActions(tableCounts, returned) });
      } else {
        Object.assign(tableCounts, countsFromMergeRows(await host.query(mergeCountsQuery(d, t, rows))));
        statements.push({ sql: mergeStatement(d, t, rows) });
      }
    }
    if (write.sweepSyncedBefore) {
      const sweep = sweepStatement(d, t, write.sweepSyncedBefore, now);
      if (host.returning) {
        // After the merge, the rows it wrote are newer than the round's start: the sweep marks exactly the vanished ones.
        statements.push({ sql: `${sweep}\nRETURNING 1`, tally: (returned) => (tableCounts.deleted += returned.length) });
      } else {
        tableCounts.deleted += Number((await host.query(sweepCountQuery(d, t, staging, write.sweepSyncedBefore)))[0]?.n ?? 0);
        statements.push({ sql: sweep });
      }
    }
  }
  const rejects = rejectsInsertStatement(d, request.rejects, request.runId, now);
  if (rejects) statements.push({ sql: rejects });
  for (const { table, state } of request.states) statements.push(...stateUpsertStatements(d, table, state, request.runId, now).map((sql) => ({ sql })));
  return { statements, counts };
}

function tallyMergeActions(counts: WriteCounts, returned: ReadonlyArray<Record<string, unknown>>): void {
  for (const row of returned) {
    if (row.merge_action === "INSERT") counts.inserted += 1;
    else counts.updated += 1;
  }
}
