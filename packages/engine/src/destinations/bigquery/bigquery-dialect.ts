import type { ColumnSpec, ColumnType } from "@kaivo/codegen";
import type { TableTarget } from "../../plan/table-plan.js";
import type { SqlDialect } from "../sql/dialect.js";

const GOOGLE_SQL_TYPE: Record<Exclude<ColumnType, "RECORD">, string> = {
  STRING: "STRING",
  TIMESTAMP: "TIMESTAMP",
  DATE: "DATE",
  BOOL: "BOOL",
  INT64: "INT64",
  FLOAT64: "FLOAT64",
  JSON: "JSON",
};

export const quoteBigQueryIdentifier = (name: string): string => `\`${name.replace(/`/g, "\\`")}\``;

function googleSqlType(column: Pick<ColumnSpec, "type" | "mode" | "fields">): string {
  const element =
    column.type === "RECORD" ? `STRUCT<${(column.fields ?? []).map((f) => `${quoteBigQueryIdentifier(f.name)} ${googleSqlType(f)}`).join(", ")}>` : GOOGLE_SQL_TYPE[column.type];
  return column.mode === "REPEATED" ? `ARRAY<${element}>` : element;
}

/** GoogleSQL for a dataset: backtick-quoted `project.dataset.table` references, BigQuery's literals and transactions. */
export function bigQueryDialect(project: string, dataset: string): SqlDialect {
  const table = (name: string) => quoteBigQueryIdentifier(`${project}.${dataset}.${name}`);
  return {
    name: "bigquery",
    quote: quoteBigQueryIdentifier,
    table,
    // GoogleSQL string literals escape with backslashes (a doubled quote is not an escape there).
    string: (value) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}'`,
    timestamp: (iso) => `TIMESTAMP '${iso}'`,
    type: googleSqlType,
    isPresent: (alias, column) => `(${alias}.\`_kaivo_complete\` OR '${column}' IN UNNEST(${alias}.\`_kaivo_present\`))`,
    // GoogleSQL has no VALUES list as a relation. (Many rows are staged instead: see CommitScriptHost.stageRejects.)
    literalRows: (columns, rows) => `(${rows.map((r) => `SELECT ${r.map((v, i) => `${v} AS ${quoteBigQueryIdentifier(columns[i]!)}`).join(", ")}`).join(" UNION ALL ")})`,
    beginTransaction: "BEGIN TRANSACTION",
    commitTransaction: "COMMIT TRANSACTION",
    // DDL is not allowed inside a BigQuery transaction, so a replace is TRUNCATE + INSERT (both DML);
    // prepare() has already added any newly selected column.
    replaceTable: (target: TableTarget, select: string, keep?: string) => [
      keep ? `DELETE FROM ${table(target.name)} AS t WHERE NOT (${keep})` : `TRUNCATE TABLE ${table(target.name)}`,
      `INSERT INTO ${table(target.name)} (${target.columns.map((c) => quoteBigQueryIdentifier(c.name)).join(", ")}) ${select}`,
    ],
  };
}
