import type { RunSummary, TableSummary } from "@kaivo/engine";
import { renderTable } from "./table.js";

/** A table's status as the summary and the progress lines show it. */
export const STATUS_LABELS: Record<TableSummary["status"], string> = { succeeded: "ok", failed: "FAILED", interrupted: "STOPPED" };

/** The human-readable run summary: one line per table, then the failures with their hints. */
export function renderSummary(summary: RunSummary): string {
  const rows = summary.tables.map((t) => [
    t.table,
    STATUS_LABELS[t.status],
    String(t.inserted),
    String(t.updated),
    String(t.deleted),
    String(t.rejected),
    String(t.requests),
    String(t.retries),
    t.seconds.toFixed(1),
  ]);
  let out = renderTable(["TABLE", "STATUS", "INSERTED", "UPDATED", "DELETED", "REJECTED", "REQUESTS", "RETRIES", "SECONDS"], rows);
  const failed = summary.tables.filter((t) => t.status === "failed");
  // Tables failing for the same reason (Graph unreachable, say) share one line, naming them all.
  const byError = new Map<string, TableSummary[]>();
  for (const t of failed) {
    const key = `${t.error?.code}:${t.error?.message}`;
    byError.set(key, [...(byError.get(key) ?? []), t]);
  }
  for (const tables of byError.values()) {
    const error = tables[0]!.error;
    out += `\n${tables.map((t) => t.table).join(", ")} failed: ${error?.message ?? "unknown error"}\n${error?.hint ? `  hint: ${error.hint}\n` : ""}`;
  }
  for (const t of summary.tables) for (const warning of t.warnings ?? []) out += `\n${t.table}: warning: ${warning}\n`;
  const stopped = summary.tables.filter((t) => t.status === "interrupted");
  if (stopped.length) {
    out += `\nStopped before finishing: ${stopped.map((t) => t.table).join(", ")}. Rows committed so far are kept; the next \`kaivo run\` resumes from the last checkpoint.\n`;
  }
  // A round that checkpointed resumes whole; the others would read only changes.
  const unfinished = [...failed, ...stopped].map((t) => t.table);
  if (summary.fullRefresh && unfinished.length) {
    out += `Pass --full-refresh again (\`kaivo run --full-refresh --tables ${unfinished.join(",")}\`) to read whole the tables that failed or stopped before their first checkpoint; a plain run reads only their changes.\n`;
  }
  const ok = summary.tables.length - failed.length - stopped.length;
  const notOk = [...(failed.length ? [`${failed.length} failed`] : []), ...(stopped.length ? [`${stopped.length} stopped`] : [])];
  out += `\n${ok} of ${summary.tables.length} tables synced into ${summary.destination} in ${summary.seconds.toFixed(1)} s${notOk.map((s) => `; ${s}`).join("")}.\n`;
  if (summary.tables.some((t) => t.rejected > 0)) out += "Rejected records are kept with their reason in the _kaivo_rejects table.\n";
  return out;
}
