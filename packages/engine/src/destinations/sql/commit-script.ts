import type { CommitRequest, TableWrite, WriteCounts } from "../destination.js";
import { countsFromMergeRows } from "../write-counts.js";
import type { SqlDialect } from "./dialect.js";
import {
  mergeCountsQuery,
  mergeStatement,
  rejectsInsertStatement,
  replaceCountsQuery,
  replaceSelect,
  stateUpsertStatements,
  sweepCountQuery,
  sweepStatement,
} from "./sync-sql.js";

/** What a destination provides to turn a commit request into SQL: staging and reads, in its own way. */
export interface CommitScriptHost {
  dialect: SqlDialect;
  /** Loads a write's staged files into a staging table; returns a reference to it usable in SQL. */
  stage(write: TableWrite): Promise<string>;
  query(sql: string): Promise<ReadonlyArray<Record<string, unknown>>>;
}

/**
 * The statements of one atomic commit (merge or replace per table, sweeps, rejects, states) and the
 * counts of what they will do, computed before they run. Shared by every warehouse: only staging,
 * reading and the transaction around the statements differ.
 */
export async function buildCommitScript(host: CommitScriptHost, request: CommitRequest, now: string): Promise<{ statements: string[]; counts: Map<string, WriteCounts> }> {
  const d = host.dialect;
  const counts = new Map<string, WriteCounts>();
  const statements: string[] = [];
  for (const write of request.writes) {
    const staging = await host.stage(write);
    if (write.mode === "replace") {
      const row = (await host.query(replaceCountsQuery(d, write.target, staging)))[0]!;
      const updated = Number(row.updated);
      counts.set(write.target.name, { inserted: Number(row.inserted), updated, deleted: Number(row.before_count) - updated });
      statements.push(...d.replaceTable(write.target, replaceSelect(d, write.target, staging)));
      continue;
    }
    const merged = countsFromMergeRows(await host.query(mergeCountsQuery(d, write.target, staging)));
    statements.push(mergeStatement(d, write.target, staging));
    if (write.sweepSyncedBefore) {
      merged.deleted += Number((await host.query(sweepCountQuery(d, write.target, staging, write.sweepSyncedBefore)))[0]?.n ?? 0);
      statements.push(sweepStatement(d, write.target, write.sweepSyncedBefore, now));
    }
    counts.set(write.target.name, merged);
  }
  const rejects = rejectsInsertStatement(d, request.rejects, request.runId, now);
  if (rejects) statements.push(rejects);
  for (const { table, state } of request.states) statements.push(...stateUpsertStatements(d, table, state, request.runId, now));
  return { statements, counts };
}
