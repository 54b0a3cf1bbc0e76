import { createHash } from "node:crypto";
import type { TableFieldSchema } from "../schema/field-schema.js";
import type { DatasetMeta, TableMeta, TableStats } from "./catalog.js";

function etag(text: string): string {
  return createHash("sha1").update(text).digest("base64").slice(0, 12);
}

export function datasetResource(meta: DatasetMeta, projectId: string, baseUrl: string): Record<string, unknown> {
  return {
    ...meta.extra,
    kind: "bigquery#dataset",
    etag: etag(`${meta.datasetId}:${meta.lastModifiedTime}`),
    id: `${projectId}:${meta.datasetId}`,
    selfLink: `${baseUrl}/bigquery/v2/projects/${projectId}/datasets/${meta.datasetId}`,
    datasetReference: { datasetId: meta.datasetId, projectId },
    access: [],
    creationTime: String(meta.creationTime),
    lastModifiedTime: String(meta.lastModifiedTime),
    location: meta.location,
    type: "DEFAULT",
  };
}

export function tableEtag(meta: TableMeta): string {
  return etag(`${meta.datasetId}.${meta.tableId}:${meta.version}:${meta.lastModifiedTime}`);
}

export interface TableResourceInput {
  readonly meta: TableMeta;
  readonly type: "TABLE" | "VIEW";
  readonly schema: readonly TableFieldSchema[];
  readonly stats?: TableStats;
  readonly viewQuery?: string;
}

export function tableResource(input: TableResourceInput, projectId: string, location: string, baseUrl: string): Record<string, unknown> {
  const { meta } = input;
  return {
    ...meta.extra,
    kind: "bigquery#table",
    etag: tableEtag(meta),
    id: `${projectId}:${meta.datasetId}.${meta.tableId}`,
    selfLink: `${baseUrl}/bigquery/v2/projects/${projectId}/datasets/${meta.datasetId}/tables/${meta.tableId}`,
    tableReference: { projectId, datasetId: meta.datasetId, tableId: meta.tableId },
    schema: { fields: input.schema },
    ...(meta.timePartitioning !== undefined ? { timePartitioning: meta.timePartitioning } : {}),
    ...(meta.clustering !== undefined ? { clustering: meta.clustering } : {}),
    ...(meta.expirationTime !== undefined ? { expirationTime: meta.expirationTime } : {}),
    ...(input.viewQuery !== undefined ? { view: { query: input.viewQuery, useLegacySql: false } } : {}),
    numBytes: String(input.stats?.numBytes ?? 0),
    numLongTermBytes: "0",
    numRows: String(input.stats?.numRows ?? 0),
    creationTime: String(meta.creationTime),
    lastModifiedTime: String(meta.lastModifiedTime),
    type: input.type,
    location,
  };
}

/** Entry of tables.list. */
export function tableListEntry(meta: TableMeta, type: "TABLE" | "VIEW", projectId: string): Record<string, unknown> {
  return {
    kind: "bigquery#table",
    id: `${projectId}:${meta.datasetId}.${meta.tableId}`,
    tableReference: { projectId, datasetId: meta.datasetId, tableId: meta.tableId },
    type,
    creationTime: String(meta.creationTime),
    ...(meta.expirationTime !== undefined ? { expirationTime: meta.expirationTime } : {}),
    ...(meta.clustering !== undefined ? { clustering: meta.clustering } : {}),
    ...(meta.timePartitioning !== undefined ? { timePartitioning: meta.timePartitioning } : {}),
    ...(meta.extra["labels"] !== undefined ? { labels: meta.extra["labels"] } : {}),
  };
}
