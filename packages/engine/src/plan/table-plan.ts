import { createHash } from "node:crypto";
import { isIncremental, toColumns, type ColumnSpec, type TableDeclaration } from "@kaivo/codegen";

/** What the destination needs to know about one warehouse table. */
export interface TableTarget {
  name: string;
  description: string;
  /** Selected data columns followed by the system columns. */
  columns: ColumnSpec[];
  /** Warehouse names of the key columns. */
  keyColumns: string[];
  incremental: boolean;
  clusterBy: string[];
  partitionBy: { column: string; granularity: "HOUR" | "DAY" | "MONTH" | "YEAR" } | undefined;
}

/** An edge table fed from `<property>@delta` of its parent's records. */
export interface RelationPlan {
  target: TableTarget;
  declaration: TableDeclaration;
  property: string;
  /** Graph-side field names of the edge record (as the relation's schema names them). */
  parentField: string;
  memberField: string;
  memberTypeField: string;
}

/** Everything the runner needs for one source table, derived from its declaration and the config. */
export interface TablePlan {
  target: TableTarget;
  declaration: TableDeclaration;
  /** Top-level Graph fields selected (the key always included). */
  selectedFields: string[];
  relations: RelationPlan[];
  /** Changes when the request shape or the selected fields' schemas change; a delta table then resyncs. */
  fingerprint: string;
  /**
   * The fingerprint earlier Kaivo versions gave the same request (before the schemas counted):
   * state written by them is taken as current once, rather than resyncing every table on upgrade.
   */
  earlierFingerprints: string[];
}

function toTarget(declaration: TableDeclaration, selected: ReadonlySet<string> | undefined): TableTarget {
  const all = toColumns(declaration);
  const columns = all.filter((c) => c.system || c.primaryKey || !selected || selected.has(c.graphName));
  const byGraph = new Map(all.map((c) => [c.graphName, c.name]));
  const column = (field: string) => byGraph.get(field) ?? field;
  const partition = declaration.warehouse?.partitionBy;
  return {
    name: declaration.name,
    description: declaration.description,
    columns,
    keyColumns: declaration.primaryKey.map(column),
    incremental: isIncremental(declaration),
    clusterBy: (declaration.warehouse?.clusterBy ?? []).map(column),
    partitionBy: partition ? { column: column(partition.field), granularity: partition.granularity } : undefined,
  };
}

export interface PlanOptions {
  /** Selected Graph field names (or warehouse column names) per table; absent = every declared field. */
  columns?: Readonly<Record<string, readonly string[] | undefined>>;
  /** Relation tables to fill; absent = every relation of a planned parent. */
  relations?: ReadonlySet<string>;
}

/** The warehouse table of a declaration with every declared column (what models may read). */
export function declaredTarget(declaration: TableDeclaration): TableTarget {
  return toTarget(declaration, undefined);
}

/** A declared table as the models read it. */
export interface ModelSource {
  /** The table with every declared column: the views are written against all of them. */
  declared: TableTarget;
  /** The table with the columns the config's selection names, when it names some; undefined for all. */
  selected?: TableTarget | undefined;
}

/** A declared table as the models read it, with the columns a config's selection names (Graph's or the warehouse's names). */
export function modelSource(declaration: TableDeclaration, selection: readonly string[] | undefined): ModelSource {
  return { declared: declaredTarget(declaration), selected: selection ? toTarget(declaration, resolveSelection(declaration, selection)) : undefined };
}

/** Plans a source table together with the relations it feeds. */
export function planTable(declaration: TableDeclaration, all: readonly TableDeclaration[], options: PlanOptions = {}): TablePlan {
  if (!declaration.source) throw new Error(`planTable: ${declaration.name} is a relation; plan its parent ${declaration.relation?.parent}`);
  const selected = resolveSelection(declaration, options.columns?.[declaration.name]);
  const target = toTarget(declaration, selected);
  const selectedFields = target.columns.filter((c) => !c.system).map((c) => c.graphName);
  const relations = all
    .filter((d) => d.relation?.parent === declaration.name && (!options.relations || options.relations.has(d.name)))
    .map((d): RelationPlan => {
      const r = d.relation!;
      return {
        target: toTarget(d, undefined),
        declaration: d,
        property: r.property,
        parentField: r.parentKey,
        memberField: r.memberKey,
        memberTypeField: r.memberType,
      };
    });
  const edges = relations.map((r) => r.property);
  // The request as it decides which objects and values Graph sends, not how it is paged, paced or
  // permitted: a new pageSize or permission must not cost a large tenant a full resync.
  const { sync } = declaration;
  const request = [canonical(pick(declaration.source, ROWS_SHAPING_SOURCE_FIELDS)), sync.mode === "cursor" ? { field: sync.field, mode: sync.mode } : { mode: sync.mode }, selectedFields, edges];
  // The selected fields' schemas count too (what makes their columns and validates their records):
  // a renamed or retyped column must be filled anew, and a record the declaration rejected may pass
  // the corrected one, though a delta round would not send it again.
  const schemas = [
    selectedFields.map((f) => canonical(declaration.schema.properties[f])),
    ...relations.map((r) => canonical(r.declaration.schema.properties)),
  ];
  // Earlier Kaivo versions hashed the declaration's whole source and sync as written, first without the schemas.
  const earlierRequest = [declaration.source, declaration.sync, selectedFields, edges];
  return { target, declaration, selectedFields, relations, fingerprint: hash([...request, schemas]), earlierFingerprints: [hash(earlierRequest), hash([...earlierRequest, schemas])] };
}

/** The source fields that change which objects, or which of their values, Graph sends. */
const ROWS_SHAPING_SOURCE_FIELDS = ["path", "method", "body", "partitions", "shape", "select", "deltaPath", "inject"] as const;

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as Pick<T, K>;
}

function hash(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

/**
 * A declaration's part as it matters to the stored rows: keys sorted (reformatting a file changes
 * nothing), "description" keywords left out (they change neither columns nor validation).
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !(key === "description" && typeof v === "string"))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, v]) => [key, canonical(v)]),
  );
}

/** Accepts Graph names or warehouse names; unknown names are the config's problem (checked there). */
function resolveSelection(declaration: TableDeclaration, names: readonly string[] | undefined): Set<string> | undefined {
  if (!names) return undefined;
  const columns = toColumns(declaration);
  const byEither = new Map(columns.flatMap((c) => [[c.graphName, c.graphName] as const, [c.name, c.graphName] as const]));
  return new Set(names.map((n) => byEither.get(n) ?? n));
}
