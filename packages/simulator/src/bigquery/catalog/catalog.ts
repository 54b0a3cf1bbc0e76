import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
import { columnBytes } from "../cost/logical-size.js";
import { fieldFromDuckType, type TableFieldSchema } from "../schema/field-schema.js";
import { quoteIdent } from "../sql/tokens.js";

export interface DatasetMeta {
  readonly datasetId: string;
  creationTime: number;
  lastModifiedTime: number;
  location: string;
  /** Everything else the client sent (labels, description, defaultTableExpirationMs, ...). */
  extra: Record<string, unknown>;
}

export interface TableMeta {
  readonly datasetId: string;
  readonly tableId: string;
  creationTime: number;
  lastModifiedTime: number;
  /** ms since epoch, as BigQuery's `expirationTime` string. */
  expirationTime?: string;
  clustering?: { fields: string[] };
  timePartitioning?: Record<string, unknown>;
  /** Column descriptions keyed by dotted field path. */
  descriptions: Record<string, string>;
  /** Other table resource fields the client set (labels, description, friendlyName, ...). */
  extra: Record<string, unknown>;
  /** Bumped on every change; part of the etag. */
  version: number;
}

export interface TableListing {
  readonly datasetId: string;
  readonly tableId: string;
  readonly type: "TABLE" | "VIEW";
}

const INTERNAL_SCHEMAS = new Set(["main", "information_schema", "pg_catalog"]);

/**
 * Dataset and table metadata. DuckDB is the source of truth for which schemas (datasets) and tables exist and for
 * their columns; this keeps what DuckDB cannot hold (labels, clustering, expiration, descriptions, times).
 */
export class Catalog {
  private readonly datasets = new Map<string, DatasetMeta>();
  private readonly tables = new Map<string, TableMeta>();

  constructor(
    readonly projectId: string,
    readonly location: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reconcile with DuckDB after any statement; drops tables whose expirationTime has passed. */
  async sync(connection: DuckDBConnection): Promise<void> {
    const schemas = await listSchemas(connection);
    for (const name of schemas) if (!this.datasets.has(name)) this.datasets.set(name, this.newDataset(name));
    for (const name of [...this.datasets.keys()]) if (!schemas.includes(name)) this.datasets.delete(name);
    const listed = await listTables(connection);
    const keys = new Set(listed.map((t) => key(t.datasetId, t.tableId)));
    for (const t of listed) if (!this.tables.has(key(t.datasetId, t.tableId))) this.tables.set(key(t.datasetId, t.tableId), this.newTable(t.datasetId, t.tableId));
    for (const k of [...this.tables.keys()]) if (!keys.has(k)) this.tables.delete(k);
    const now = this.now();
    for (const t of listed) {
      const meta = this.tables.get(key(t.datasetId, t.tableId));
      if (meta?.expirationTime !== undefined && Number(meta.expirationTime) <= now) {
        await connection.run(`DROP ${t.type === "VIEW" ? "VIEW" : "TABLE"} IF EXISTS ${tableSql(t.datasetId, t.tableId)}`);
        this.tables.delete(key(t.datasetId, t.tableId));
      }
    }
  }

  dataset(datasetId: string): DatasetMeta | undefined {
    return this.datasets.get(datasetId);
  }

  datasetIds(): string[] {
    return [...this.datasets.keys()].sort();
  }

  putDataset(meta: DatasetMeta): void {
    this.datasets.set(meta.datasetId, meta);
  }

  table(datasetId: string, tableId: string): TableMeta | undefined {
    return this.tables.get(key(datasetId, tableId));
  }

  tablesIn(datasetId: string): TableMeta[] {
    return [...this.tables.values()].filter((t) => t.datasetId === datasetId).sort((a, b) => a.tableId.localeCompare(b.tableId));
  }

  /** Replace a table's metadata (new table, or WRITE_TRUNCATE / CREATE OR REPLACE). */
  resetTable(datasetId: string, tableId: string): TableMeta {
    const meta = this.newTable(datasetId, tableId);
    // defaultTableExpirationMs of the dataset applies to tables created afterwards (bigquery.md §3.7)
    const defaultExpiration = Number(this.datasets.get(datasetId)?.extra["defaultTableExpirationMs"] ?? 0);
    if (defaultExpiration > 0) meta.expirationTime = String(meta.creationTime + defaultExpiration);
    this.tables.set(key(datasetId, tableId), meta);
    return meta;
  }

  /** The table's metadata, created if DuckDB has the table but the catalog has not seen it yet. */
  ensureTable(datasetId: string, tableId: string): TableMeta {
    return this.table(datasetId, tableId) ?? this.resetTable(datasetId, tableId);
  }

  touch(datasetId: string, tableId: string): void {
    const meta = this.table(datasetId, tableId);
    if (meta !== undefined) {
      meta.lastModifiedTime = Math.max(this.now(), meta.lastModifiedTime + 1);
      meta.version++;
    }
  }

  forgetTable(datasetId: string, tableId: string): void {
    this.tables.delete(key(datasetId, tableId));
  }

  newDataset(datasetId: string): DatasetMeta {
    const now = this.now();
    return { datasetId, creationTime: now, lastModifiedTime: now, location: this.location, extra: {} };
  }

  private newTable(datasetId: string, tableId: string): TableMeta {
    const now = this.now();
    return { datasetId, tableId, creationTime: now, lastModifiedTime: now, descriptions: {}, extra: {}, version: 1 };
  }
}

export function key(datasetId: string, tableId: string): string {
  return `${datasetId}.${tableId}`;
}

export function tableSql(datasetId: string, tableId: string): string {
  return `${quoteIdent(datasetId)}.${quoteIdent(tableId)}`;
}

async function listSchemas(connection: DuckDBConnection): Promise<string[]> {
  const reader = await connection.runAndReadAll(
    "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal ORDER BY schema_name",
  );
  return reader.getRowsJson().map((r) => String(r[0])).filter((s) => !INTERNAL_SCHEMAS.has(s));
}

export async function listTables(connection: DuckDBConnection): Promise<TableListing[]> {
  const reader = await connection.runAndReadAll(
    `SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
     UNION ALL
     SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() WHERE database_name = current_database() AND NOT temporary AND NOT internal`,
  );
  return reader
    .getRowsJson()
    .map((r) => ({ datasetId: String(r[0]), tableId: String(r[1]), type: String(r[2]) as "TABLE" | "VIEW" }))
    .filter((t) => !INTERNAL_SCHEMAS.has(t.datasetId));
}

/** Whether DuckDB has the table or view; returns its type. */
export async function tableKind(connection: DuckDBConnection, datasetId: string, tableId: string): Promise<"TABLE" | "VIEW" | undefined> {
  const all = await listTables(connection);
  return all.find((t) => t.datasetId === datasetId && t.tableId === tableId)?.type;
}

/** BigQuery schema of a table from its DuckDB column types, with REQUIRED from NOT NULL and stored descriptions. */
export async function tableSchema(connection: DuckDBConnection, datasetId: string, tableId: string, meta?: TableMeta): Promise<TableFieldSchema[]> {
  const probe = await connection.runAndReadAll(`SELECT * FROM ${tableSql(datasetId, tableId)} LIMIT 0`);
  const notNull = await connection.runAndReadAll(
    `SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = '${datasetId.replace(/'/g, "''")}' AND table_name = '${tableId.replace(/'/g, "''")}' AND NOT is_nullable`,
  );
  const required = new Set(notNull.getRowsJson().map((r) => String(r[0])));
  const types = probe.columnTypes();
  return probe.columnNames().map((name, i) => withDescriptions(fieldFromDuckType(name, types[i] as DuckDBType, required.has(name)), meta?.descriptions ?? {}, ""));
}

function withDescriptions(field: TableFieldSchema, descriptions: Record<string, string>, prefix: string): TableFieldSchema {
  const path = `${prefix}${field.name}`;
  const description = descriptions[path];
  return {
    ...field,
    ...(field.fields !== undefined ? { fields: field.fields.map((f) => withDescriptions(f, descriptions, `${path}.`)) } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

export interface TableStats {
  readonly numRows: number;
  readonly numBytes: number;
}

export async function tableStats(connection: DuckDBConnection, datasetId: string, tableId: string): Promise<TableStats> {
  const sql = tableSql(datasetId, tableId);
  const count = await connection.runAndReadAll(`SELECT CAST(count(*) AS BIGINT) FROM ${sql}`);
  const numRows = Number(count.getRowsJson()[0]?.[0] ?? 0);
  const bytes = await columnBytes(connection, sql);
  return { numRows, numBytes: [...bytes.values()].reduce((a, b) => a + b, 0) };
}
