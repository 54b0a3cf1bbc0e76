import type { ColumnSpec } from "@kaivo/codegen";
import type { TableTarget } from "../../plan/table-plan.js";

/** What differs between the warehouses' SQL; everything else in sync-sql.ts is shared. */
export interface SqlDialect {
  readonly name: "duckdb" | "bigquery";
  /** Reference to a table of the connection's schema or dataset. */
  table(name: string): string;
  quote(identifier: string): string;
  string(value: string): string;
  timestamp(iso: string): string;
  /** SQL type of a column, for casts and DDL. */
  type(column: Pick<ColumnSpec, "type" | "mode" | "fields">): string;
  /** Whether staged row `alias` carries a value for `column`: a complete row, or one whose _kaivo_present lists it. */
  isPresent(alias: string, column: string): string;
  /** A relation of literal rows (each value already a SQL literal), with the given column names. */
  literalRows(columns: readonly string[], rows: ReadonlyArray<readonly string[]>): string;
  beginTransaction: string;
  commitTransaction: string;
  /**
   * Statements that replace a full-refresh table with the rows selected by `select`, keeping the
   * stored rows (alias t) that `keep` holds for, when given (keptByReplace).
   */
  replaceTable(target: TableTarget, select: string, keep?: string): string[];
}
