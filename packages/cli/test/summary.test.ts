import type { RunSummary, TableSummary } from "@kaivo/engine";
import { describe, expect, test } from "vitest";
import { renderSummary } from "../src/render/summary.js";

const table = (name: string, status: TableSummary["status"]): TableSummary => ({ table: name, status, inserted: 0, updated: 0, deleted: 0, rejected: 0, requests: 1, retries: 0, seconds: 0.5 });
const summary = (fullRefresh: boolean): RunSummary => ({ runId: "r", destination: "w.duckdb", tables: [table("users", "interrupted"), table("groups", "succeeded")], seconds: 1, ok: false, fullRefresh });

describe("renderSummary", () => {
  test("a run stopped during --full-refresh says to pass it again: a plain run reads only changes where no checkpoint was taken", () => {
    expect(renderSummary(summary(true))).toContain(
      "Stopped before finishing: users. Rows committed so far are kept; the next `kaivo run` resumes from the last checkpoint.\nPass --full-refresh again to read whole the tables that stopped before their first checkpoint.\n",
    );
    expect(renderSummary(summary(false))).not.toContain("--full-refresh");
  });
});
