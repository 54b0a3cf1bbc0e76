import { readFileSync } from "node:fs";
import { basename, dirname, relative, sep } from "node:path";
import { dialectFor } from "./dialects/index.js";
import { dataTestsOf } from "./data-tests.js";
import { discoverModelFiles } from "./discover-model-files.js";
import { ModelConfigError, ModelTemplateError, type ModelConfigProblem } from "./errors.js";
import { splitModelFile } from "./front-matter.js";
import { orderModels } from "./model-graph.js";
import { statementSeparators } from "./statement-separators.js";
import { renderTemplate } from "./template-engine.js";
import type { HelperContext } from "./template-helpers.js";
import type { ModelConfig, ModelDefinition, ModelInput, ModelProject } from "./types.js";
import { validateModelConfig } from "./validate-config.js";

export interface LoadModelProjectOptions {
  /** Synced tables available to `{{source}}` (and reported by `{{sourceExists}}`). */
  sources: string[];
  /**
   * Every declared table. A model reading one that is not synced (left out of the config's
   * selection) is skipped at build; a source named in neither list is an error.
   */
  declared?: string[];
  /**
   * Tables a sync wrote into the warehouse, declared here or not (their sync state names them): a
   * model of the same name would replace one, rows and all.
   */
  synced?: string[];
}

// The parse pass renders for DuckDB into a placeholder target; only the recorded inputs matter.
const PARSE_TARGET = { sourceSchema: "main", modelSchema: "main" };

/**
 * Loads every model under `modelsDir`: splits and validates each front matter (ajv), renders each
 * template once with recording ref/source helpers to find its inputs, and orders the models.
 * Throws ModelConfigError (every config problem at once), then the first ModelTemplateError or
 * ModelRefError in file order, or a ModelCycleError.
 */
export function loadModelProject(modelsDir: string, options: LoadModelProjectOptions): ModelProject {
  const display = (path: string) => relative(dirname(modelsDir), path).split(sep).join("/");
  const problems: ModelConfigProblem[] = [];
  let files: string[];
  try {
    files = discoverModelFiles(modelsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      // A project of its own (it has tables/) builds the models in its own models/ folder.
      throw new ModelConfigError([{ file: modelsDir, pointer: "", message: "does not exist; kaivo build builds the models in this folder" }], "Copy Kaivo's models/ folder here to build its views, or create the folder with models of your own (see models/README.md).");
    }
    throw new ModelConfigError([{ file: modelsDir, pointer: "", message: `cannot be read (${(error as Error).message})` }]);
  }

  const declared = new Set(options.declared ?? []);
  const syncedTables = new Set(options.synced ?? []);
  const drafts: Omit<ModelDefinition, "refs" | "sources" | "unsyncedSources" | "absentOptionalSources" | "dependsOn" | "testDependsOn">[] = [];
  const fileByName = new Map<string, string>();
  for (const absolutePath of files) {
    const file = display(absolutePath);
    const name = basename(absolutePath, ".sql");
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      problems.push({ file, pointer: "", message: "has a name that is not lower snake_case; the file name is the model name" });
      continue;
    }
    // Models are created beside the synced tables: one of the same name would replace the table.
    if (name.startsWith("_kaivo")) {
      problems.push({ file, pointer: "", message: "has a name starting with _kaivo, which Kaivo keeps for its own tables; rename the file" });
      continue;
    }
    if (declared.has(name)) {
      problems.push({ file, pointer: "", message: `has the name of the table ${name} (tables/${name}.json), whose synced rows building it would replace; rename the file` });
      continue;
    }
    if (syncedTables.has(name)) {
      problems.push({ file, pointer: "", message: `has the name of the table ${name}, which a sync wrote into the warehouse (no declaration here names it any more), and whose rows building it would replace; rename the file` });
      continue;
    }
    const other = fileByName.get(name);
    if (other !== undefined) {
      problems.push({ file, pointer: "", message: `has the same model name as ${other}; model names are unique across folders` });
      continue;
    }
    fileByName.set(name, file);
    const split = splitModelFile(readFileSync(absolutePath, "utf8"));
    if (!("body" in split)) {
      problems.push({ file, ...split });
      continue;
    }
    const configProblems = validateModelConfig(split.frontMatter);
    if (configProblems.length > 0) {
      problems.push(...configProblems.map((p) => ({ file, ...p })));
      continue;
    }
    const parsed = split.frontMatter as Omit<ModelConfig, "materialized"> & { materialized?: ModelConfig["materialized"] };
    const config: ModelConfig = { ...parsed, materialized: parsed.materialized ?? "view" };
    const folder = relative(modelsDir, dirname(absolutePath)).split(sep)[0] ?? "";
    drafts.push({ name, file, absolutePath, layer: folder, config, template: split.body, tests: dataTestsOf(config, file, problems) });
  }
  for (const draft of drafts) {
    for (const test of draft.tests) {
      if (test.kind === "relationships" && !fileByName.has(test.to)) {
        problems.push({ file: draft.file, pointer: `/columns/${test.column}/tests`, message: `${test.name} refers to a model named "${test.to}" which was not found` });
      }
    }
  }
  if (problems.length > 0) throw new ModelConfigError(problems);

  const modelNames = new Set(fileByName.keys());
  const sources = new Set(options.sources);
  const models = drafts.map((draft): ModelDefinition => {
    const refs: ModelInput[] = [];
    const sourceInputs: ModelInput[] = [];
    const absent = new Set<string>();
    const context: HelperContext = {
      dialect: dialectFor("duckdb"),
      model: draft.name,
      file: draft.file,
      target: PARSE_TARGET,
      modelNames,
      sources,
      ...(options.declared ? { declaredSources: declared } : {}),
      onRef: (name, line) => refs.push({ name, line }),
      onSource: (name, line) => sourceInputs.push({ name, line }),
      onAbsentSource: (name) => absent.add(name),
      // A view that reads itself recurses forever once queried.
      onSelf: (location) => {
        throw new ModelTemplateError(location, "uses {{self}}, which names the model itself: its own SELECT cannot read it", {
          hint: "{{self}} is for data tests in the front matter; use {{ref \"…\"}} for the models this one reads.",
        });
      },
    };
    refuseSeveralStatements(renderTemplate(draft.template, context), draft.file);
    const tests = draft.tests.map((test) => {
      if (test.kind !== "sql") return test;
      const reads = { models: [] as string[], sources: [] as string[] };
      const rendered = renderTemplate(test.template, {
        ...context,
        reasonPrefix: `test ${test.name}: `,
        fileLines: false,
        onRef: (name) => reads.models.push(name),
        onSource: (name) => reads.sources.push(name),
        onAbsentSource: () => undefined,
        onSelf: () => undefined,
      });
      refuseSeveralStatements(rendered, draft.file, test.name);
      return { ...test, reads };
    });
    return {
      ...draft,
      tests,
      refs,
      sources: sourceInputs,
      unsyncedSources: [...new Set(sourceInputs.map((i) => i.name))].filter((name) => !sources.has(name)).sort(),
      absentOptionalSources: [...absent].sort(),
      dependsOn: [...new Set(refs.map((r) => r.name))].sort(),
      testDependsOn: [...new Set(tests.flatMap((t) => (t.kind === "relationships" ? [t.to] : t.kind === "sql" ? t.reads.models : [])))].filter((n) => n !== draft.name).sort(),
    };
  });
  return { modelsDir, sources: [...sources].sort(), models, order: orderModels(models) };
}

/**
 * A model is one SELECT, wrapped in a CREATE at build: a statement after it would run as well,
 * unseen (a DROP, an UPDATE), so a template that renders to several is refused.
 */
function refuseSeveralStatements(rendered: string, file: string, test?: string): void {
  // The template's own text is the same in both warehouses; each reads quotes and comments its own way.
  const [separator] = [...statementSeparators(rendered, "duckdb"), ...statementSeparators(rendered, "bigquery")].sort((a, b) => a - b);
  if (separator === undefined) return;
  if (test !== undefined) {
    // A test's lines are not the file's (it sits in the front matter).
    throw new ModelTemplateError({ file, line: undefined }, `test ${test}: renders to more than one SQL statement (a semicolon ends the SELECT and another statement follows)`, {
      hint: "A data test is a single SELECT of the failing rows; remove the semicolon and what follows it.",
    });
  }
  const line = rendered.slice(0, separator).split("\n").length;
  throw new ModelTemplateError({ file, line }, "renders to more than one SQL statement (a semicolon ends the SELECT and another statement follows)", {
    hint: "A model is a single SELECT; remove the semicolon and what follows it, or make the rest a model of its own.",
  });
}
