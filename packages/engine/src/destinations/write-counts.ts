import type { WriteCounts } from "./destination.js";

/** Turns the rows of mergeCountsQuery into counts. */
export function countsFromMergeRows(rows: ReadonlyArray<Record<string, unknown>>): WriteCounts {
  const counts: WriteCounts = { inserted: 0, updated: 0, deleted: 0 };
  for (const row of rows) {
    const n = Number(row.n);
    // BigQuery's rows carry booleans as text.
    const flag = (column: string) => row[column] === true || row[column] === "true";
    const [matched, wasDeleted, rewritten, deletedThisRun] = [flag("matched"), flag("was_deleted"), flag("rewritten"), flag("deleted_this_run")];
    if (row.op === "delete") {
      if (matched && !wasDeleted) counts.deleted += n;
    } else if (matched) {
      // A row an earlier commit of the run wrote was counted then; restored, its removal is undone.
      if (!rewritten) counts.updated += n;
      if (deletedThisRun) counts.deleted -= n;
    } else if (row.op === "upsert") {
      // (An unmatched patch inserts nothing: mergeStatement.)
      counts.inserted += n;
    }
  }
  return counts;
}
