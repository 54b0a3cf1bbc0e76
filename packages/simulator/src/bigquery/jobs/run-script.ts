import type { DuckDBConnection } from "@duckdb/node-api";
import { key, tableKind, type Catalog } from "../catalog/catalog.js";
import { estimateStatement, NO_BYTES, type BytesEstimate, type EstimateOptions } from "../cost/estimate-bytes.js";
import { mapDuckDbError } from "../engine/map-error.js";
import { BigQueryError, invalidQuery } from "../errors.js";
import type { TablePath, TranslatedStatement } from "../sql/statement.js";
import { quoteIdent } from "../sql/tokens.js";
import { applyTableOptions } from "./table-options.js";
import { EMPTY_RESULT, toQueryResult, type QueryResult } from "./query-result.js";

export interface DmlStats {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
}

export interface StatementOutcome {
  readonly statement: TranslatedStatement;
  readonly result?: QueryResult;
  readonly dml?: DmlStats;
  readonly bytes: BytesEstimate;
  readonly startTime: number;
  readonly endTime: number;
}

export interface ScriptOutcome {
  /** The statement type, or SCRIPT for several statements. */
  readonly statementType: string;
  /** Result of the last statement that returned rows (or none). */
  readonly result: QueryResult;
  readonly statements: readonly StatementOutcome[];
  /** DML counts of a single-statement job (a script parent job reports none, as in BigQuery). */
  readonly dml?: DmlStats;
  readonly bytes: BytesEstimate;
}

export interface ScriptOptions extends EstimateOptions {
  readonly projectId: string;
  readonly location: string;
  readonly dryRun?: boolean;
  /** configuration.query.maximumBytesBilled: fail before running a statement that would bill more. */
  readonly maximumBytesBilled?: number;
  readonly now?: () => number;
}

/** DDL on permanent objects that BigQuery refuses inside a multi-statement transaction (bigquery.md §2.5). */
const PERMANENT_DDL = new Set(["CREATE_TABLE", "CREATE_TABLE_AS_SELECT", "CREATE_VIEW", "CREATE_SCHEMA", "DROP_TABLE", "DROP_VIEW", "DROP_SCHEMA", "ALTER_TABLE"]);

/**
 * Run translated statements in order with BigQuery script semantics: without a transaction each statement commits
 * on its own and the script stops at the first error; inside BEGIN TRANSACTION … COMMIT TRANSACTION any error
 * rolls the whole transaction back (DuckDB would otherwise swallow a COMMIT after an error, toolchain-notes §4),
 * and a script that ends with an open transaction is rolled back and fails.
 */
export async function runScript(connection: DuckDBConnection, catalog: Catalog, statements: readonly TranslatedStatement[], options: ScriptOptions): Promise<ScriptOutcome> {
  const now = options.now ?? Date.now;
  const outcomes: StatementOutcome[] = [];
  let inTransaction = false;
  if (options.defaultDataset !== undefined) await connection.run(`SET search_path = ${sqlString(options.defaultDataset)}`);
  try {
    await catalog.sync(connection);
    for (const statement of statements) {
      const startTime = now();
      switch (statement.kind) {
        case "BEGIN_TRANSACTION":
          if (inTransaction) throw invalidQuery("Nested transactions are not supported: BEGIN TRANSACTION inside a transaction");
          if (!options.dryRun) await connection.run("BEGIN TRANSACTION");
          inTransaction = true;
          outcomes.push({ statement, bytes: NO_BYTES, startTime, endTime: now() });
          continue;
        case "COMMIT_TRANSACTION":
        case "ROLLBACK_TRANSACTION":
          if (!inTransaction) throw invalidQuery(`${statement.kind === "COMMIT_TRANSACTION" ? "COMMIT" : "ROLLBACK"} TRANSACTION without an active transaction`);
          if (!options.dryRun) await connection.run(statement.kind === "COMMIT_TRANSACTION" ? "COMMIT" : "ROLLBACK");
          inTransaction = false;
          outcomes.push({ statement, bytes: NO_BYTES, startTime, endTime: now() });
          continue;
        default:
          break;
      }
      if (inTransaction && PERMANENT_DDL.has(statement.kind) && statement.temporary !== true) {
        throw invalidQuery(`${statement.kind.replace(/_/g, " ")} on a permanent table is not supported inside a multi-statement transaction`);
      }
      await checkDatasetExists(connection, catalog, statement, options);
      const bytes = await estimateStatement(connection, catalog, statement, options);
      const billedSoFar = outcomes.reduce((sum, o) => sum + o.bytes.billed, 0) + bytes.billed;
      if (options.maximumBytesBilled !== undefined && !options.dryRun && billedSoFar > options.maximumBytesBilled) {
        throw new BigQueryError("bytesBilledLimitExceeded", `Query exceeded limit for bytes billed: ${options.maximumBytesBilled}. ${billedSoFar} or higher required.`);
      }
      if (options.dryRun) {
        outcomes.push({ statement, bytes, startTime, endTime: now() });
        continue;
      }
      const outcome = await runStatement(connection, catalog, statement, options).catch((error: unknown) => {
        throw explainParserError(error, statement);
      });
      outcomes.push({ statement, bytes, startTime, endTime: now(), ...outcome });
    }
    if (inTransaction) {
      if (!options.dryRun) await connection.run("ROLLBACK");
      inTransaction = false;
      throw invalidQuery("Transaction was not committed: the script ended inside BEGIN TRANSACTION without COMMIT TRANSACTION, so it was rolled back");
    }
  } catch (error) {
    if (inTransaction && !options.dryRun) await connection.run("ROLLBACK");
    throw mapDuckDbError(error, options.projectId, options.location);
  } finally {
    if (options.defaultDataset !== undefined) await connection.run("RESET search_path");
    await catalog.sync(connection);
  }
  const withResult = [...outcomes].reverse().find((o) => o.result !== undefined);
  const single = statements.length === 1 ? outcomes[0] : undefined;
  return {
    statementType: single !== undefined ? single.statement.kind : "SCRIPT",
    result: withResult?.result ?? EMPTY_RESULT,
    statements: outcomes,
    ...(single?.dml !== undefined ? { dml: single.dml } : {}),
    bytes: sumBytes(outcomes.map((o) => o.bytes)),
  };
}

function sumBytes(list: readonly BytesEstimate[]): BytesEstimate {
  return {
    processed: list.reduce((a, b) => a + b.processed, 0),
    billed: list.reduce((a, b) => a + b.billed, 0),
    reads: list.flatMap((b) => b.reads),
    targetBytes: list.reduce((a, b) => a + b.targetBytes, 0),
  };
}

async function runStatement(connection: DuckDBConnection, catalog: Catalog, statement: TranslatedStatement, options: ScriptOptions): Promise<Pick<StatementOutcome, "result" | "dml">> {
  const target = statement.target !== undefined ? resolve(statement.target, options.defaultDataset) : undefined;
  const existedBefore = target !== undefined && statement.temporary !== true ? (await tableKind(connection, target.dataset, target.table)) !== undefined : false;
  if (statement.kind === "MERGE" && statement.merge?.matchedCondition !== undefined) await checkOneSourceRowPerTarget(connection, statement, options);

  let result: QueryResult | undefined;
  let dml: DmlStats | undefined;
  for (const sql of statement.sql) {
    const reader = await connection.runAndReadAll(sql);
    switch (statement.kind) {
      case "SELECT":
        result = toQueryResult(reader);
        break;
      case "MERGE": {
        const actions = reader.getRowsJson().map((r) => String(r[0]));
        dml = {
          inserted: actions.filter((a) => a === "INSERT").length,
          updated: actions.filter((a) => a === "UPDATE").length,
          deleted: actions.filter((a) => a === "DELETE").length,
        };
        break;
      }
      case "INSERT":
        dml = { inserted: reader.rowsChanged, updated: 0, deleted: 0 };
        break;
      case "UPDATE":
        dml = { inserted: 0, updated: reader.rowsChanged, deleted: 0 };
        break;
      case "DELETE":
        dml = { inserted: 0, updated: 0, deleted: reader.rowsChanged };
        break;
      default:
        break;
    }
  }
  await catalog.sync(connection);
  if (target !== undefined && statement.temporary !== true) {
    const created = statement.kind === "CREATE_TABLE" || statement.kind === "CREATE_TABLE_AS_SELECT" || statement.kind === "CREATE_VIEW";
    const replaced = created && existedBefore && statement.ifExists !== true;
    if (created && (!existedBefore || replaced)) catalog.resetTable(target.dataset, target.table);
    if (catalog.table(target.dataset, target.table) !== undefined) {
      if (statement.tableOptions !== undefined && (statement.kind === "ALTER_TABLE" || !existedBefore || replaced)) {
        await applyTableOptions(connection, catalog, target.dataset, target.table, statement.tableOptions);
      }
      if (statement.kind !== "SELECT") catalog.touch(target.dataset, target.table);
    }
  }
  return { ...(result !== undefined ? { result } : {}), ...(dml !== undefined ? { dml } : {}) };
}

function resolve(path: TablePath, defaultDataset: string | undefined): { dataset: string; table: string } | undefined {
  const dataset = path.dataset ?? defaultDataset;
  return dataset === undefined ? undefined : { dataset, table: path.table };
}

/** BigQuery names the missing dataset before anything runs; DuckDB's "schema does not exist" is less clear. */
async function checkDatasetExists(connection: DuckDBConnection, catalog: Catalog, statement: TranslatedStatement, options: ScriptOptions): Promise<void> {
  const dataset = statement.target?.dataset;
  if (dataset === undefined || statement.kind === "CREATE_SCHEMA") return;
  if (catalog.dataset(dataset) !== undefined) return;
  await catalog.sync(connection);
  if (catalog.dataset(dataset) !== undefined) return;
  if (statement.ifExists === true && statement.kind.startsWith("DROP")) return;
  throw new BigQueryError("notFound", `Not found: Dataset ${options.projectId}:${dataset} was not found in location ${options.location}`);
}

/**
 * BigQuery fails a MERGE whose WHEN MATCHED clause would update or delete a target row joined to several source
 * rows; DuckDB silently applies the last one (toolchain-notes §4), so check first.
 */
async function checkOneSourceRowPerTarget(connection: DuckDBConnection, statement: TranslatedStatement, options: ScriptOptions): Promise<void> {
  const merge = statement.merge;
  if (merge === undefined || merge.matchedCondition === undefined || !merge.updatesOrDeletes) return;
  const reader = await connection.runAndReadAll(
    `SELECT 1 FROM ${merge.targetRef} JOIN ${merge.sourceRef} ON ${merge.on} WHERE ${merge.matchedCondition} GROUP BY ${quoteIdent(merge.targetAlias)}.rowid HAVING count(*) > 1 LIMIT 1`,
  );
  if (reader.currentRowCount > 0) {
    const target = statement.target !== undefined ? key(statement.target.dataset ?? options.defaultDataset ?? "", statement.target.table) : "";
    throw invalidQuery(`UPDATE/MERGE must match at most one source row for each target row (target ${options.projectId}:${target})`);
  }
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A DuckDB parser error means the translation produced bad SQL: show the DuckDB text to make that debuggable. */
function explainParserError(error: unknown, statement: TranslatedStatement): unknown {
  if (error instanceof Error && /^Parser Error/.test(error.message)) {
    return invalidQuery(`${error.message.split("\n")[0] ?? ""} [in the DuckDB translation: ${statement.sql.join("; ")}]`);
  }
  return error;
}
