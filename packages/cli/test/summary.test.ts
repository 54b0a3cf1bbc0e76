import type { RunSummary, TableSummary } from "@kaivo/engine";
import { describe, expect, test } from "vitest";
import { renderSummary } from "../src/render/summary.js";

const table = (name: string, status: TableSummary["status"]): TableSummary => ({ table: name, status, inserted: 0, updated: 0, deleted: 0, rejected: 0, requests: 1, retries: 0, seconds: 0.5 });
const summary = (fullRefresh: boolean): RunSummary => ({ runId: "r", destination: "w.duckdb", tables: [table("users", "interrupted"), table("groups", "succeeded")], seconds: 1, ok: false, fullRefresh });

describe("renderSummary", () => {
  test("a run stopped during --full-refresh says to pass it again: a plain run reads only changes where no checkpoint was taken", () => {
    expect(renderSummary(summary(true))).toContain(
      "Stopped before finishing: users. Rows committed so far are kept; the next `kaivo run` resumes from the last checkpoint.\nPass --full-refresh again (`kaivo run --full-refresh --tables users`) to read whole the tables that failed or stopped before their first checkpoint; a plain run reads only their changes.\n",
    );
    expect(renderSummary(summary(false))).not.toContain("--full-refresh");
  });

  test("tables failing for the same reason share one line that names each; a failed --full-refresh says to pass it again", () => {
    const unreachable = { code: "KAIVO_GRAPH_UNREACHABLE", message: "Could not reach Graph (ECONNREFUSED)", hint: "Is it up?" };
    const denied = { code: "KAIVO_GRAPH_FORBIDDEN", message: "Graph denied applications" };
    const failed = (name: string, error: TableSummary["error"]): TableSummary => ({ ...table(name, "failed"), error });
    const run: RunSummary = {
      runId: "r", destination: "w.duckdb", seconds: 1, ok: false, fullRefresh: true,
      tables: [failed("users", unreachable), failed("applications", denied), failed("groups", unreachable), table("identityproviders", "succeeded")],
    };
    const out = renderSummary(run);
    expect(out).toContain("\nusers, groups failed: Could not reach Graph (ECONNREFUSED)\n  hint: Is it up?\n\napplications failed: Graph denied applications\n");
    expect(out).toContain("Pass --full-refresh again (`kaivo run --full-refresh --tables users,applications,groups`) to read whole");
  });
});
