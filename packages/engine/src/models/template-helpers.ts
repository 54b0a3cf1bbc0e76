import type { HelperOptions } from "handlebars";
import { LOGICAL_TYPES, type LogicalType, type SqlDialect } from "./dialects/index.js";
import { ModelRefError, ModelTemplateError, type TemplateLocation } from "./errors.js";
import type { MissingColumn, ModelTarget } from "./types.js";

/** What the helpers of one render see: the model, where it goes, and what exists. */
export interface HelperContext {
  dialect: SqlDialect;
  model: string;
  file: string;
  target: ModelTarget;
  modelNames: ReadonlySet<string>;
  /** Synced tables: what `{{source}}` reads and `{{sourceExists}}` reports. */
  sources: ReadonlySet<string>;
  /**
   * Parse pass: declared tables, synced or not. `{{source}}` of one that is not synced renders
   * (and is recorded) instead of failing: the model is skipped at build, not the whole project.
   */
  declaredSources?: ReadonlySet<string>;
  /** The relation {{self}} names when not the model itself: a snapshot its data tests run against. */
  selfRelation?: string;
  /** Prefix for errors raised while rendering something other than the model body (a SQL test). */
  reasonPrefix?: string;
  /** False when the template is not the file body (a SQL test in the front matter): its lines are not file lines. */
  fileLines?: boolean;
  /** Parse pass: called for every ref/source actually rendered (dbt's ParseRefResolver). */
  onRef?: (name: string, line: number | undefined) => void;
  onSource?: (name: string, line: number | undefined) => void;
  /** Parse pass: called for every `{{sourceExists}}` that found its table absent (an optional input left out). */
  onAbsentSource?: (name: string) => void;
  /** Parse pass of a model body: called for every `{{self}}` (which only data tests may use). */
  onSelf?: (location: TemplateLocation) => void;
}

type ParamKind = "name" | "sql" | "int" | "type" | "text" | "bool";

interface HelperSpec {
  params: { label: string; kind: ParamKind }[];
  hash?: Record<string, ParamKind>;
  run(args: unknown[], hash: Record<string, unknown>, location: TemplateLocation): unknown;
}

/**
 * Names of every helper a template may call. Templates compile with knownHelpersOnly, so any
 * other name is an error naming the file and line; handlebars' built-ins (if, unless, each, with)
 * stay available.
 */
export const HELPER_NAMES = [
  "ref", "source", "sourceExists", "self", "withRecursive",
  "now", "daysAgo", "daysFromNow", "addDays", "daysBetween", "dateOf",
  "jsonScalar", "unnest", "arrayLength", "arrayContains", "stringAgg",
  "cast", "safeCast", "lit",
] as const;

const KIND_TEXT: Record<ParamKind, string> = {
  name: "a name in quotes",
  sql: "a SQL expression in quotes",
  int: "an integer",
  type: `one of ${LOGICAL_TYPES.map((t) => `"${t}"`).join(", ")}`,
  text: "a string in quotes",
  bool: "true or false (unquoted)",
};

function checkArgument(helper: string, label: string, kind: ParamKind, value: unknown): string | undefined {
  const problem =
    value === undefined || value === null
      ? `got ${String(value)} (an unquoted or misspelled variable?)`
      : kind === "int"
        ? Number.isInteger(value) ? undefined : `got ${JSON.stringify(value)}`
        : kind === "bool"
          ? typeof value === "boolean" ? undefined : `got ${JSON.stringify(value)}`
          : typeof value !== "string"
          ? `got ${typeof value === "object" ? "an object" : JSON.stringify(value)}`
          : kind === "name" && !/^[a-z_][a-z0-9_]*$/.test(value)
            ? `got ${JSON.stringify(value)} (lower snake_case expected)`
            : kind === "sql" && value.trim() === ""
              ? "got an empty string"
              : kind === "type" && !(LOGICAL_TYPES as readonly string[]).includes(value)
                ? `got ${JSON.stringify(value)}`
                : undefined;
  return problem === undefined ? undefined : `helper "${helper}" needs ${KIND_TEXT[kind]} as its ${label}; ${problem}`;
}

/** Wraps a spec as a handlebars helper that checks its arguments (strict mode does not) and knows its line. */
function defineHelper(name: string, spec: HelperSpec, context: HelperContext): (...args: unknown[]) => unknown {
  return (...all: unknown[]) => {
    const options = all[all.length - 1] as HelperOptions & { loc?: { start: { line: number } } };
    const args = all.slice(0, -1);
    const location: TemplateLocation = { file: context.file, line: context.fileLines === false ? undefined : options.loc?.start.line };
    const fail = (reason: string): never => {
      throw new ModelTemplateError(location, `${context.reasonPrefix ?? ""}${reason}`);
    };
    if (args.length !== spec.params.length) {
      fail(`helper "${name}" takes ${spec.params.length} argument${spec.params.length === 1 ? "" : "s"}${spec.params.length ? ` (${spec.params.map((p) => p.label).join(", ")})` : ""}; got ${args.length}`);
    }
    spec.params.forEach((param, index) => {
      const problem = checkArgument(name, param.label, param.kind, args[index]);
      if (problem !== undefined) fail(problem);
    });
    const hash = (options.hash ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(hash)) {
      const kind = spec.hash?.[key];
      if (kind === undefined) fail(`helper "${name}" has no option "${key}"`);
      const problem = checkArgument(name, `option "${key}"`, kind as ParamKind, value);
      if (problem !== undefined) fail(problem);
    }
    return spec.run(args, hash, location);
  };
}

const name1 = (label: string) => [{ label, kind: "name" as const }];
const sql1 = [{ label: "expression", kind: "sql" as const }];

/** The helper set for one render: ref/source resolve against `context`, dialect helpers dispatch on its dialect. */
export function createTemplateHelpers(context: HelperContext): Record<string, (...args: unknown[]) => unknown> {
  const { dialect, target } = context;
  const specs: Record<(typeof HELPER_NAMES)[number], HelperSpec> = {
    ref: {
      params: name1("model name"),
      run: ([name], _hash, location) => {
        const model = name as string;
        if (!context.modelNames.has(model)) throw new ModelRefError(location, context.model, "model", model, [...context.modelNames].sort());
        context.onRef?.(model, location.line);
        return dialect.relation(target.modelSchema, model, target.project);
      },
    },
    source: {
      params: name1("table name"),
      run: ([name], _hash, location) => {
        const table = name as string;
        if (!context.sources.has(table) && !context.declaredSources?.has(table)) {
          throw new ModelRefError(location, context.model, "source", table, [...(context.declaredSources ?? context.sources)].sort());
        }
        context.onSource?.(table, location.line);
        const relation = dialect.relation(target.sourceSchema, table, target.project);
        const missing = target.missingSourceColumns?.[table] ?? [];
        const undeclared = target.undeclaredSourceColumns?.[table] ?? [];
        if (missing.length === 0 && undeclared.length === 0) return relation;
        const asMissing = (c: MissingColumn) => `CAST(${c.value} AS ${c.sqlType}) AS ${dialect.quoteIdentifier(c.name)}`;
        const replaced = missing.filter((c) => c.stored).map(asMissing);
        const added = missing.filter((c) => !c.stored).map(asMissing);
        const star = `${undeclared.length > 0 ? dialect.starExcept(undeclared) : "*"}${replaced.length > 0 ? ` REPLACE (${replaced.join(", ")})` : ""}`;
        return `(SELECT ${[star, ...added].join(", ")} FROM ${relation})`;
      },
    },
    sourceExists: {
      params: name1("table name"),
      run: ([name]) => {
        const exists = context.sources.has(name as string);
        if (!exists) context.onAbsentSource?.(name as string);
        return exists;
      },
    },
    self: {
      params: [],
      run: (_args, _hash, location) => {
        context.onSelf?.(location);
        return context.selfRelation ?? dialect.relation(target.modelSchema, context.model, target.project);
      },
    },
    // node-sql-parser (used to check the BigQuery rendering) cannot parse WITH RECURSIVE although
    // GoogleSQL and DuckDB both accept it; keeping the keyword in this one helper lets the check
    // substitute it (see test/models/bigquery-rendering.test.ts).
    withRecursive: { params: [], run: () => "WITH RECURSIVE" },
    now: { params: [], run: () => dialect.now() },
    daysAgo: { params: [{ label: "number of days", kind: "int" }], run: ([days]) => dialect.addDays(dialect.now(), -(days as number)) },
    daysFromNow: { params: [{ label: "number of days", kind: "int" }], run: ([days]) => dialect.addDays(dialect.now(), days as number) },
    addDays: {
      params: [{ label: "timestamp expression", kind: "sql" }, { label: "number of days", kind: "int" }],
      run: ([expr, days]) => dialect.addDays(expr as string, days as number),
    },
    daysBetween: {
      params: [{ label: "start timestamp", kind: "sql" }, { label: "end timestamp", kind: "sql" }],
      run: ([start, end]) => dialect.daysBetween(start as string, end as string),
    },
    dateOf: { params: sql1, run: ([expr]) => dialect.dateOf(expr as string) },
    jsonScalar: {
      params: [{ label: "JSON string expression", kind: "sql" }, { label: "JSON path", kind: "text" }],
      run: ([expr, path]) => dialect.jsonScalar(expr as string, path as string),
    },
    unnest: {
      params: [{ label: "array expression", kind: "sql" }, { label: "alias", kind: "name" }],
      hash: { offset: "name" },
      run: ([expr, alias], hash) => dialect.unnest(expr as string, alias as string, hash.offset as string | undefined),
    },
    arrayLength: { params: sql1, run: ([expr]) => dialect.arrayLength(expr as string) },
    arrayContains: {
      params: [{ label: "array expression", kind: "sql" }, { label: "value expression", kind: "sql" }],
      run: ([array, value]) => dialect.arrayContains(array as string, value as string),
    },
    stringAgg: { params: sql1, hash: { distinct: "bool" }, run: ([expr], hash) => dialect.stringAgg(expr as string, hash.distinct !== false) },
    cast: {
      params: [{ label: "expression", kind: "sql" }, { label: "type", kind: "type" }],
      run: ([expr, type]) => dialect.cast(expr as string, type as LogicalType),
    },
    safeCast: {
      params: [{ label: "expression", kind: "sql" }, { label: "type", kind: "type" }],
      run: ([expr, type]) => dialect.safeCast(expr as string, type as LogicalType),
    },
    lit: { params: [{ label: "value", kind: "text" }], run: ([value]) => dialect.stringLiteral(value as string) },
  };
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, defineHelper(name, spec, context)]));
}
