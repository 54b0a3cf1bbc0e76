import { countLeafColumns, nestingDepth, toColumns, typedFormatOf, UnsupportedSchemaError, type ColumnSpec } from "./columns.js";
import type { FieldSchema, TableDeclaration } from "./declaration.js";
import { bigQueryColumnNameProblem, SYSTEM_COLUMN_PREFIX } from "./naming.js";
import type { PointedMessage } from "./schema-problems.js";

const MAX_COLUMNS = 10_000;
const MAX_NESTING = 15;

/** The rules of a single declaration that JSON Schema cannot express. */
export function checkDeclaration(d: TableDeclaration, fileStem: string): PointedMessage[] {
  const problems: PointedMessage[] = [];
  const add = (pointer: string, message: string) => problems.push({ pointer, message });
  const properties = d.schema.properties;
  const topLevel = (field: string): FieldSchema | undefined => properties[field];

  if (d.name !== fileStem) add("/name", `is "${d.name}" but the file is ${fileStem}.json; a table's name and file name must match`);
  if ((d.source === undefined) === (d.relation === undefined)) {
    add("/", `must declare exactly one of "source" (a Graph request) or "relation" (an edge table of a delta parent)`);
  }

  d.primaryKey.forEach((key, i) => {
    const field = topLevel(key);
    if (!field) add(`/primaryKey/${i}`, `names "${key}", which is not a top-level property of schema`);
    else if (isArrayOrObject(field)) add(`/primaryKey/${i}`, `names "${key}", which is not a scalar; a key must be a string or number field`);
    else if (typesOf(field).some((t) => t !== "string" && t !== "integer" && t !== "number")) {
      add(`/primaryKey/${i}`, `names "${key}", typed ${JSON.stringify(field.type)}; a key is never null, so it must be a string or number field without "null"`);
    }
  });
  const required = d.schema.required;
  (Array.isArray(required) ? required : []).forEach((field, i) => {
    if (!topLevel(field)) add(`/schema/required/${i}`, `names "${field}", which is not a property of schema`);
  });

  if (d.sync.mode === "cursor") {
    const field = topLevel(d.sync.field);
    if (!field || !isDateTime(field)) {
      add("/sync/field", `names "${d.sync.field}", which is not a top-level timestamp ("type": "string", "format": "date-time") of schema; a cursor must be a timestamp`);
    }
    if (d.relation) add("/sync/mode", `is "cursor", but relation tables follow their parent's delta rounds; use "delta"`);
  }
  if (d.source) {
    if (d.sync.mode === "delta" && !d.source.deltaPath) add("/source", `has no "deltaPath", which sync mode "delta" needs`);
    // Graph sends a removed object, and a relation's parent, as its id alone: the only key a delta round always carries.
    if (d.sync.mode === "delta" && (d.primaryKey.length !== 1 || d.primaryKey[0] !== "id")) {
      add("/primaryKey", `is ${JSON.stringify(d.primaryKey)}; a delta table's key must be ["id"], since Graph reports a removed object by its id alone`);
    }
    if (d.sync.mode !== "delta" && d.source.deltaPath) add("/source/deltaPath", `is set but sync mode is "${d.sync.mode}"; remove it or use "delta"`);
    if (d.sync.mode !== "delta" && d.source.initialRound !== undefined) add("/source/initialRound", `is set but sync mode is "${d.sync.mode}"; only delta tables have an initial round`);
    if (d.source.method === "POST" && !d.source.body) add("/source", `uses POST without a "body"`);
    if (d.source.method !== "POST" && d.source.body) add("/source/body", `is set, but only a POST source sends a body; remove it or set "method": "POST"`);
    if (d.source.shape === "singleton" && d.source.pageSize !== undefined) add("/source/pageSize", `is set on a singleton source, which does not page`);
    const partitionKeys = new Set((d.source.partitions ?? []).flatMap((p) => Object.keys(p)));
    for (const [where, refs] of [["body", d.source.body], ["inject", d.source.inject]] as const) {
      for (const [key, ref] of Object.entries(refs ?? {})) {
        if (typeof ref === "object" && "fromPartition" in ref && !partitionKeys.has(ref.fromPartition)) {
          add(`/source/${where}/${key}`, `takes "${ref.fromPartition}" from the partition, but no entry of source.partitions has that key`);
        }
      }
    }
    for (const key of Object.keys(d.source.inject ?? {})) {
      if (!topLevel(key)) add(`/source/inject/${key}`, `injects "${key}", which is not a top-level property of schema`);
    }
  }
  if (d.relation) {
    if (d.sync.mode !== "delta") add("/sync/mode", `must be "delta" for a relation table: edges arrive in the parent's delta rounds`);
    for (const key of ["parentKey", "memberKey", "memberType"] as const) {
      if (!topLevel(d.relation[key])) add(`/relation/${key}`, `names "${d.relation[key]}", which is not a top-level property of schema`);
    }
    // An edge is one parent and one member: any other key merges a parent's edges into one another.
    const edgeKey = [d.relation.parentKey, d.relation.memberKey];
    if (JSON.stringify(d.primaryKey) !== JSON.stringify(edgeKey)) {
      add("/primaryKey", `is ${JSON.stringify(d.primaryKey)}; a relation table's key must be ${JSON.stringify(edgeKey)} (relation.parentKey, relation.memberKey): an edge is one parent and one member`);
    }
  }

  const hints = d.warehouse ?? {};
  (hints.clusterBy ?? []).forEach((field, i) => {
    const f = topLevel(field);
    if (!f) add(`/warehouse/clusterBy/${i}`, `names "${field}", which is not a top-level property of schema`);
    else if (isArrayOrObject(f)) add(`/warehouse/clusterBy/${i}`, `names "${field}"; BigQuery clusters only on top-level, non-repeated scalar columns`);
  });
  if (hints.partitionBy) {
    const f = topLevel(hints.partitionBy.field);
    if (!f || !isDateTime(f)) add("/warehouse/partitionBy/field", `names "${hints.partitionBy.field}", which is not a top-level timestamp of schema`);
  }

  checkFormats(properties, "/schema/properties", add);

  let columns: ColumnSpec[];
  try {
    columns = toColumns(d);
  } catch (error) {
    if (error instanceof UnsupportedSchemaError) {
      add(error.pointer, error.message);
      return problems;
    }
    throw error;
  }
  checkColumnNames(columns, "/schema/properties", add);
  const leaves = countLeafColumns(columns);
  if (leaves > MAX_COLUMNS) add("/schema", `maps to ${leaves} columns (nested fields counted); BigQuery allows at most ${MAX_COLUMNS}`);
  const depth = nestingDepth(columns);
  if (depth > MAX_NESTING) add("/schema", `nests records ${depth} levels deep; BigQuery allows at most ${MAX_NESTING}; store deep parts as JSON ("x-kaivo-as": "json")`);
  return problems;
}

function checkColumnNames(columns: readonly ColumnSpec[], pointer: string, add: (pointer: string, message: string) => void): void {
  const byLowerName = new Map<string, string>();
  for (const column of columns) {
    if (column.system) continue;
    const at = `${pointer}/${column.graphName}`;
    const problem = bigQueryColumnNameProblem(column.name);
    if (problem) add(at, `maps to column "${column.name}", which ${problem}; set "x-kaivo-column" to a valid name`);
    if (column.name.startsWith(SYSTEM_COLUMN_PREFIX)) add(at, `maps to column "${column.name}"; the ${SYSTEM_COLUMN_PREFIX} prefix is reserved for Kaivo's own columns`);
    const clash = byLowerName.get(column.name.toLowerCase());
    if (clash !== undefined) {
      add(at, `maps to column "${column.name}", which "${clash}" also maps to; rename one with "x-kaivo-column"`);
    } else {
      byLowerName.set(column.name.toLowerCase(), column.graphName);
    }
    if (column.fields) checkColumnNames(column.fields, `${at}/properties`, add);
  }
}

/** A typed format (`date-time`, `date`) types only a string field's column; elsewhere it would be ignored without a word. */
function checkFormats(properties: Record<string, FieldSchema>, pointer: string, add: (pointer: string, message: string) => void): void {
  for (const [name, field] of Object.entries(properties)) {
    if (field === null || typeof field !== "object") continue;
    const at = `${pointer}/${name}`;
    const typed = typedFormatOf(field);
    if (typed && !typesOf(field).includes("string")) {
      add(`${at}/format`, `is "${field.format}", which makes ${typed.holds} only of a string field; this one is typed ${JSON.stringify(field.type)}`);
    }
    if (field.properties) checkFormats(field.properties, `${at}/properties`, add);
    if (field.items && typeof field.items === "object") checkFormats({ items: field.items }, at, add);
  }
}

function typesOf(field: FieldSchema): string[] {
  const types: unknown[] = Array.isArray(field.type) ? field.type : [field.type];
  return types.filter((t): t is string => typeof t === "string");
}
function isArrayOrObject(field: FieldSchema): boolean {
  return field["x-kaivo-as"] === "json" || typesOf(field).some((t) => t === "array" || t === "object");
}
function isDateTime(field: FieldSchema): boolean {
  return typesOf(field).includes("string") && field.format === "date-time";
}

/** Rules across declarations: relation parents must exist and sync by delta, in delta initial rounds. */
export function checkAcrossDeclarations(declarations: readonly TableDeclaration[]): Array<PointedMessage & { file: string }> {
  const byName = new Map(declarations.map((d) => [d.name, d]));
  const problems: Array<PointedMessage & { file: string }> = [];
  for (const d of declarations) {
    if (!d.relation) continue;
    const parent = byName.get(d.relation.parent);
    if (!parent) {
      const parents = declarations.filter((p) => p.sync.mode === "delta" && p.source && p.source.initialRound !== "list").map((p) => p.name).sort();
      const known = parents.length ? `tables that can be a parent: ${parents.join(", ")}` : "no declared table can be a parent: one syncs by delta, with delta initial rounds";
      problems.push({ file: d.file, pointer: "/relation/parent", message: `names table "${d.relation.parent}", which is not declared in tables/ (${known})` });
    } else if (parent.sync.mode !== "delta" || !parent.source) {
      problems.push({ file: d.file, pointer: "/relation/parent", message: `names table "${parent.name}", which does not sync by delta; edges can only come from a delta source` });
    } else if (parent.source.initialRound === "list") {
      problems.push({
        file: parent.file,
        pointer: "/source/initialRound",
        message: `is "list", but table "${d.name}" takes its edges from ${d.relation.property}@delta, which only delta rounds carry; remove initialRound or use "delta"`,
      });
    }
  }
  return problems;
}
