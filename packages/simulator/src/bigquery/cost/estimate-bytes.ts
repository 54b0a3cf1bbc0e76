import type { DuckDBConnection } from "@duckdb/node-api";
import { key, tableSql, type Catalog } from "../catalog/catalog.js";
import type { StatementKind, TranslatedStatement } from "../sql/statement.js";
import { quoteIdent } from "../sql/tokens.js";
import { columnBytes } from "./logical-size.js";

const MB = 1024 * 1024;
/** On-demand billing minimum per referenced table (bigquery.md §5). */
export const MIN_BILLED_PER_TABLE = 10 * MB;

/** Statements that read no table data: DDL, TRUNCATE (a free metadata operation) and transaction control. */
const FREE: ReadonlySet<StatementKind> = new Set([
  "CREATE_TABLE", "CREATE_VIEW", "CREATE_SCHEMA", "DROP_TABLE", "DROP_VIEW", "DROP_SCHEMA", "TRUNCATE_TABLE", "ALTER_TABLE",
  "BEGIN_TRANSACTION", "COMMIT_TRANSACTION", "ROLLBACK_TRANSACTION",
]);

export interface TableRead {
  /** dataset.table */
  readonly table: string;
  /** Logical bytes of the referenced columns (after modelled block pruning). */
  readonly bytes: number;
  /** Share of the table's blocks scanned, when clustering pruning applied. */
  readonly scannedFraction?: number;
}

export interface BytesEstimate {
  /** q + t: bytes read from referenced columns plus, for UPDATE/DELETE/MERGE with update or delete, the target size. */
  readonly processed: number;
  /** What on-demand pricing would bill: per referenced table at least 10 MB, rounded up to whole MB. */
  readonly billed: number;
  readonly reads: readonly TableRead[];
  /** The t term (0 unless the statement updates or deletes). */
  readonly targetBytes: number;
}

export const NO_BYTES: BytesEstimate = { processed: 0, billed: 0, reads: [], targetBytes: 0 };

export interface EstimateOptions {
  readonly defaultDataset?: string;
  /** Modelled size of a clustered table's storage block (see estimateClusterPruning). */
  readonly clusterBlockBytes: number;
}

/**
 * Estimate a statement's on-demand bytes with BigQuery's DML formulas (bigquery.md §2.3): q = logical bytes of the
 * columns referenced in each table read (by name: any identifier in the statement that names a column; every
 * column for `*` or INSERT ROW; of a MERGE target, only the columns named through its alias, since the ones an
 * INSERT or SET assigns are written), plus t = the target's full size for UPDATE, DELETE and a MERGE with an UPDATE or
 * DELETE clause. INSERT and insert-only MERGE bill q only; DDL and TRUNCATE are free. Views count as 0 (their base
 * tables are not expanded). Must run before the statement changes the data.
 */
export async function estimateStatement(connection: DuckDBConnection, catalog: Catalog, statement: TranslatedStatement, options: EstimateOptions): Promise<BytesEstimate> {
  if (FREE.has(statement.kind)) return NO_BYTES;
  const referenced = referencedTables(catalog, statement, options.defaultDataset);
  const target = statement.target !== undefined ? resolveTarget(statement.target, options.defaultDataset) : undefined;
  const readsTarget = statement.kind === "UPDATE" || statement.kind === "DELETE" || statement.kind === "MERGE";
  const reads: TableRead[] = [];
  let targetBytes = 0;
  for (const name of referenced) {
    const [datasetId, tableId] = splitKey(name);
    const isTarget = target !== undefined && name === target;
    const bytes = await columnBytes(connection, tableSql(datasetId, tableId));
    if (isTarget && statement.kind === "MERGE" ? statement.merge?.updatesOrDeletes === true : isTarget && readsTarget) {
      targetBytes = [...bytes.values()].reduce((a, b) => a + b, 0);
    }
    if (isTarget && !readsTarget) continue; // INSERT / CTAS targets are written, not read
    // `*` / INSERT ROW read every column of the sources; a MERGE target only the columns it names through its alias.
    const mergeTarget = isTarget && statement.kind === "MERGE" ? statement.merge : undefined;
    const readsAll = statement.columnsRead?.all === true && mergeTarget === undefined;
    const named = (column: string) => (mergeTarget ? mergeTarget.targetColumnsRead : statement.columnsRead?.identifiers)?.has(column.toLowerCase()) === true;
    const used = [...bytes.entries()].filter(([column]) => readsAll || named(column));
    let read = used.reduce((sum, [, b]) => sum + b, 0);
    let scannedFraction: number | undefined;
    if (isTarget && statement.kind === "MERGE") {
      scannedFraction = await estimateClusterPruning(connection, catalog, statement, datasetId, tableId, targetBytesOf(bytes), options.clusterBlockBytes);
      if (scannedFraction !== undefined) read = Math.ceil(read * scannedFraction);
    }
    reads.push({ table: name, bytes: read, ...(scannedFraction !== undefined ? { scannedFraction } : {}) });
  }
  const processed = reads.reduce((sum, r) => sum + r.bytes, 0) + targetBytes;
  const billedPerTable = reads.map((r) => Math.max(MIN_BILLED_PER_TABLE, roundUpToMb(r.bytes + (r.table === target ? targetBytes : 0))));
  const billed = billedPerTable.reduce((a, b) => a + b, 0);
  return { processed, billed, reads, targetBytes };
}

function targetBytesOf(bytes: Map<string, number>): number {
  return [...bytes.values()].reduce((a, b) => a + b, 0);
}

function roundUpToMb(bytes: number): number {
  return Math.ceil(bytes / MB) * MB;
}

function splitKey(name: string): [string, string] {
  const dot = name.indexOf(".");
  return [name.slice(0, dot), name.slice(dot + 1)];
}

function resolveTarget(path: { dataset?: string; table: string }, defaultDataset: string | undefined): string | undefined {
  const dataset = path.dataset ?? defaultDataset;
  return dataset === undefined ? undefined : key(dataset, path.table);
}

/** Tables (not views) named by the statement: dataset.table paths, or bare names in the default dataset. */
function referencedTables(catalog: Catalog, statement: TranslatedStatement, defaultDataset: string | undefined): string[] {
  const found = new Set<string>();
  const isTable = (d: string, t: string): boolean => catalog.table(d, t) !== undefined;
  for (const path of statement.paths) {
    const [a, b] = path;
    if (a !== undefined && b !== undefined && isTable(a, b)) found.add(key(a, b));
    else if (a !== undefined && defaultDataset !== undefined && isTable(defaultDataset, a)) found.add(key(defaultDataset, a));
  }
  if (defaultDataset !== undefined) {
    for (const meta of catalog.tablesIn(defaultDataset)) {
      if (statement.columnsRead?.identifiers.has(meta.tableId.toLowerCase()) === true) found.add(key(defaultDataset, meta.tableId));
    }
  }
  return [...found];
}

/**
 * Block pruning for a MERGE into a clustered table — a model, not BigQuery's algorithm (which is unpublished).
 * Rule: the target is stored sorted by its first clustering column in blocks of `clusterBlockBytes` (at least one
 * block); each block has a min/max of that column. The MERGE reads only the blocks whose [min, max] overlaps the
 * [min, max] of the source's join key, when ON has `target.<first clustering column> = source.<column>` at the top
 * level. Returns the scanned share of blocks, or undefined when pruning does not apply. Only the read (q) side is
 * pruned; the t term stays the full table, as the BigQuery docs describe for non-partitioned targets.
 */
async function estimateClusterPruning(
  connection: DuckDBConnection, catalog: Catalog, statement: TranslatedStatement,
  datasetId: string, tableId: string, tableBytes: number, blockBytes: number,
): Promise<number | undefined> {
  const clusterColumn = catalog.table(datasetId, tableId)?.clustering?.fields[0];
  const merge = statement.merge;
  if (clusterColumn === undefined || merge === undefined) return undefined;
  const equality = merge.keyEqualities.find((e) => e.targetColumn.toLowerCase() === clusterColumn.toLowerCase());
  if (equality === undefined) return undefined;
  const blocks = Math.max(1, Math.ceil(tableBytes / blockBytes));
  if (blocks === 1) return 1;
  const column = quoteIdent(clusterColumn);
  const sourceKey = `${quoteIdent(merge.sourceAlias)}.${quoteIdent(equality.sourceColumn)}`;
  const reader = await connection.runAndReadAll(
    `WITH src AS (SELECT min(${sourceKey}) AS lo, max(${sourceKey}) AS hi FROM ${merge.sourceRef}),
          blk AS (SELECT b, min(k) AS mn, max(k) AS mx FROM (SELECT ${column} AS k, ntile(${blocks}) OVER (ORDER BY ${column}) AS b FROM ${tableSql(datasetId, tableId)}) GROUP BY b)
     SELECT CAST(count(*) AS INTEGER) FROM blk, src WHERE blk.mx >= src.lo AND blk.mn <= src.hi`,
  );
  const scanned = Number(reader.getRowsJson()[0]?.[0] ?? blocks);
  return Math.min(1, scanned / blocks);
}
