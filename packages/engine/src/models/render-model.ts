import { dialectFor } from "./dialects/index.js";
import { genericTestSql } from "./data-tests.js";
import { ModelSelectionError } from "./errors.js";
import { renderTemplate } from "./template-engine.js";
import type { HelperContext } from "./template-helpers.js";
import type { DataTestDefinition, Dialect, ModelDefinition, ModelProject, ModelTarget } from "./types.js";

export function findModel(project: ModelProject, name: string): ModelDefinition {
  const model = project.models.find((m) => m.name === name);
  if (model === undefined) throw new ModelSelectionError(name, project.order);
  return model;
}

function helperContext(project: ModelProject, model: ModelDefinition, dialect: Dialect, target: ModelTarget): HelperContext {
  return {
    dialect: dialectFor(dialect),
    model: model.name,
    file: model.file,
    target,
    modelNames: new Set(project.models.map((m) => m.name)),
    sources: new Set(project.sources),
  };
}

/** The model's SELECT for one dialect and target, without the CREATE around it. */
export function renderModelQuery(project: ModelProject, name: string, dialect: Dialect, target: ModelTarget): string {
  return renderQuery(project, findModel(project, name), dialect, target).sql;
}

/**
 * The model's SELECT, and the line of its file the SELECT's first line comes from: undefined when
 * the template's helpers added or removed lines, so that lines no longer correspond.
 */
function renderQuery(project: ModelProject, model: ModelDefinition, dialect: Dialect, target: ModelTarget): { sql: string; firstFileLine: number | undefined } {
  const body = renderTemplate(model.template, helperContext(project, model, dialect, target));
  // Blank lines stand in for the front matter; trailing semicolons would end the CREATE early.
  const leading = /^\s*\n/.exec(body)?.[0] ?? "";
  const linesKept = lineCount(body) === lineCount(model.template);
  return { sql: body.slice(leading.length).replace(/[\s;]+$/, ""), firstFileLine: linesKept ? lineCount(leading) : undefined };
}

function lineCount(text: string): number {
  return text.split("\n").length;
}

/**
 * A warehouse's error about the statement renderModel made, with the line it points at found in the
 * model's file: DuckDB says `LINE 6:`, BigQuery `at [6:3]`, both counting from the CREATE line.
 */
export function withModelFileLine(message: string, project: ModelProject, name: string, dialect: Dialect, target: ModelTarget): string {
  const line = Number((/\bLINE (\d+):/.exec(message) ?? /\bat \[(\d+):\d+\]/.exec(message))?.[1]);
  // Line 1 is CREATE OR REPLACE ... AS; the SELECT starts on line 2.
  if (!(line >= 2)) return message;
  const model = findModel(project, name);
  const { firstFileLine } = renderQuery(project, model, dialect, target);
  if (firstFileLine === undefined) return message;
  return `${message}\n(line ${line} of the statement is line ${firstFileLine + line - 2} of ${model.file})`;
}

/** The CREATE OR REPLACE VIEW (or TABLE ... AS) statement that builds the model in `target.modelSchema`. */
export function renderModel(project: ModelProject, name: string, dialect: Dialect, target: ModelTarget): string {
  const model = findModel(project, name);
  const sql = dialectFor(dialect);
  return sql.materialize(model.config.materialized, sql.relation(target.modelSchema, model.name, target.project), renderModelQuery(project, name, dialect, target));
}

/**
 * The SELECT returning the failing rows of one of the model's data tests, against the model, or
 * against `selfRelation` (a snapshot of it) when given.
 */
export function renderDataTest(project: ModelProject, model: ModelDefinition, test: DataTestDefinition, dialect: Dialect, target: ModelTarget, selfRelation?: string): string {
  const sql = dialectFor(dialect);
  if (test.kind === "sql") {
    const context = { ...helperContext(project, model, dialect, target), reasonPrefix: `test ${test.name}: `, fileLines: false, ...(selfRelation ? { selfRelation } : {}) };
    return withoutTrailingSemicolon(renderTemplate(test.template, context));
  }
  return genericTestSql(test, selfRelation ?? sql.relation(target.modelSchema, model.name, target.project), sql, (other) =>
    sql.relation(target.modelSchema, other, target.project),
  );
}

/**
 * A data test's SELECT without the semicolons that may end it, even when a comment follows
 * (`…; -- none expected`): it is wrapped in another SELECT. Several statements were refused at load.
 */
function withoutTrailingSemicolon(sql: string): string {
  let text = sql;
  for (let last = text.lastIndexOf(";"); last >= 0; last = text.lastIndexOf(";")) {
    const after = text.slice(last + 1);
    if (after.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "").trim() !== "") break;
    text = `${text.slice(0, last)} ${after}`;
  }
  return text.trim();
}
