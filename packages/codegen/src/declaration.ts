import type { JSONSchema4 } from "json-schema";

/** A literal, or a value taken from the connection config or the current partition. */
export type ValueRef = string | number | boolean | { fromConfig: "tenantId" | "userId" } | { fromPartition: string };

export type ThrottleClass = "directory" | "reports" | "signInActivity" | "identityProviders";

/** The Microsoft Graph request behind a table (see declaration.schema.json for each field). */
export interface SourceDeclaration {
  path: string;
  method?: "GET" | "POST";
  body?: Record<string, ValueRef>;
  partitions?: Array<Record<string, string | number | boolean>>;
  shape?: "collection" | "singleton";
  pageSize?: number;
  select?: boolean;
  orderBy?: string;
  deltaPath?: string;
  initialRound?: "delta" | "list";
  permission: string;
  additionalPermissions?: string[];
  requires?: string;
  throttle?: ThrottleClass;
  resourceUnits?: number;
  inject?: Record<string, ValueRef>;
}

/** An edge table filled from `<property>@delta` of its parent's delta rounds. */
export interface RelationDeclaration {
  parent: string;
  property: string;
  parentKey: string;
  memberKey: string;
  memberType: string;
}

export type SyncDeclaration =
  | { mode: "full_refresh" }
  | { mode: "delta" }
  | { mode: "cursor"; field: string; lookbackMinutes: number; initialLookbackDays?: number };

export type SyncMode = SyncDeclaration["mode"];

export interface WarehouseHints {
  clusterBy?: string[];
  partitionBy?: { field: string; granularity: "HOUR" | "DAY" | "MONTH" | "YEAR" };
}

/** A JSON Schema node as declarations use it, plus Kaivo's two extension keywords. */
export interface FieldSchema extends JSONSchema4 {
  "x-kaivo-as"?: "json";
  "x-kaivo-column"?: string;
}

export interface RecordSchema extends FieldSchema {
  type: "object";
  properties: Record<string, FieldSchema>;
}

/** One validated file of tables/: the single source of truth for one warehouse table. */
export interface TableDeclaration {
  name: string;
  description: string;
  selectedByDefault?: boolean;
  source?: SourceDeclaration;
  relation?: RelationDeclaration;
  sync: SyncDeclaration;
  primaryKey: string[];
  warehouse?: WarehouseHints;
  schema: RecordSchema;
  /** Path of the file the declaration was read from (not part of the file). */
  file: string;
}

export const isIncremental = (d: Pick<TableDeclaration, "sync">): boolean => d.sync.mode !== "full_refresh";
