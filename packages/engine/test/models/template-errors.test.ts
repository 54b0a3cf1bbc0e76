import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  loadModelProject, ModelConfigError, ModelCycleError, ModelRefError, ModelTemplateError,
} from "../../src/models/index.js";
import { modelFile, withModelProject } from "./with-model-project.js";

const SOURCES = ["users", "groups"];

function loadError(files: Record<string, string>): Error {
  return withModelProject(files, (root) => catchError(() => loadModelProject(join(root, "models"), { sources: SOURCES })));
}

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected it to throw");
}

describe("loadModelProject refuses broken models, naming the file and line", () => {
  test("a ref to an unknown model", () => {
    const error = loadError({
      "models/a.sql": modelFile("SELECT *\nFROM {{ref \"b\"}}\nJOIN {{ref \"nope\"}} USING (id)"),
      "models/b.sql": modelFile("SELECT 1 AS id"),
    });
    expect(error).toBeInstanceOf(ModelRefError);
    expect(error.message).toBe('models/a.sql:6: model "a" depends on a model named "nope" which was not found');
    expect((error as ModelRefError).hint).toBe("Known models: a, b.");
    expect(error).toMatchObject({ code: "KAIVO_MODEL_REF_NOT_FOUND", file: "models/a.sql", line: 6, exitCode: 2 });
  });

  test("a source that is not synced", () => {
    const error = loadError({ "models/staging/stg_x.sql": modelFile("SELECT *\nFROM {{source \"userz\"}}") });
    expect(error).toBeInstanceOf(ModelRefError);
    expect(error.message).toBe('models/staging/stg_x.sql:5: model "stg_x" reads a source named "userz" which was not found');
    expect((error as ModelRefError).hint).toBe("No table of that name is declared in tables/. Declared tables: groups, users.");
  });

  test("a source that no declaration names is refused even when declared tables are given, and the hint lists them", () => {
    withModelProject({ "models/staging/stg_x.sql": modelFile("SELECT *\nFROM {{source \"userz\"}}") }, (root) => {
      const error = catchError(() => loadModelProject(join(root, "models"), { sources: SOURCES, declared: [...SOURCES, "applications"] }));
      expect(error.message).toBe('models/staging/stg_x.sql:5: model "stg_x" reads a source named "userz" which was not found');
      expect((error as ModelRefError).hint).toBe("No table of that name is declared in tables/. Declared tables: applications, groups, users.");
    });
  });

  test("a project without a models/ folder is told where the models go", () => {
    withModelProject({ "tables/.keep": "" }, (root) => {
      const error = catchError(() => loadModelProject(join(root, "models"), { sources: SOURCES }));
      expect(error).toBeInstanceOf(ModelConfigError);
      expect(error.message).toBe(`1 problem in model configuration:\n  ${join(root, "models")}: does not exist; kaivo build builds the models in this folder`);
      expect((error as ModelConfigError).hint).toMatch(/^Copy Kaivo's models\/ folder here/);
    });
  });

  test("a model named like a declared table or one of Kaivo's own would replace it, so it is refused", () => {
    withModelProject(
      {
        "models/custom/users.sql": modelFile("SELECT 1 AS oops"),
        "models/custom/_kaivo_state.sql": modelFile("SELECT 1 AS oops"),
      },
      (root) => {
        const error = catchError(() => loadModelProject(join(root, "models"), { sources: SOURCES, declared: SOURCES }));
        expect(error).toBeInstanceOf(ModelConfigError);
        expect(error.message).toBe(
          "2 problems in model configuration:\n" +
            "  models/custom/_kaivo_state.sql: has a name starting with _kaivo, which Kaivo keeps for its own tables; rename the file\n" +
            "  models/custom/users.sql: has the name of the table users (tables/users.json), whose synced rows building it would replace; rename the file",
        );
      },
    );
  });

  test.each([
    ["another statement after the SELECT", "SELECT 1 AS x;\nDROP TABLE {{source \"users\"}}", 4],
    ["two SELECTs on one line", "SELECT 1 AS x; SELECT 2 AS y", 4],
  ])("a template that renders to several statements is refused (%s)", (_label, template, line) => {
    const error = loadError({ "models/m.sql": modelFile(template) });
    expect(error).toBeInstanceOf(ModelTemplateError);
    expect(error.message).toBe(`models/m.sql:${line}: renders to more than one SQL statement (a semicolon ends the SELECT and another statement follows)`);
    expect(error).toMatchObject({ exitCode: 2 });
  });

  test.each([
    ["a GoogleSQL backslash escape hiding the end of a literal", "SELECT '\\'' AS q; DROP TABLE {{source \"users\"}}", 4],
    ["a GoogleSQL # comment ending before the semicolon", "SELECT 1 AS x # it's a note\n; DROP TABLE {{source \"users\"}}", 5],
  ])("what either warehouse would read as two statements is refused (%s)", (_label, template, line) => {
    const error = loadError({ "models/m.sql": modelFile(template) });
    expect(error.message).toBe(`models/m.sql:${line}: renders to more than one SQL statement (a semicolon ends the SELECT and another statement follows)`);
  });

  test("semicolons in literals, quoted names and comments, and trailing ones, are not statements", () => {
    const template = "SELECT ';' AS a, \"x;y\" AS b, 'it''s; fine' AS c -- not; here\n/* nor; here */ FROM {{source \"users\"}};\n-- done;\n;";
    const project = withModelProject({ "models/m.sql": modelFile(template) }, (root) => loadModelProject(join(root, "models"), { sources: SOURCES }));
    expect(project.order).toEqual(["m"]);
  });

  test("a declared source that is not synced loads, and the model records it", () => {
    withModelProject({ "models/a.sql": modelFile('SELECT * FROM {{source "applications"}} JOIN {{source "users"}} USING (id)') }, (root) => {
      const project = loadModelProject(join(root, "models"), { sources: SOURCES, declared: [...SOURCES, "applications"] });
      expect(project.models[0]?.unsyncedSources).toEqual(["applications"]);
    });
  });

  test("a source guarded by sourceExists is not required", () => {
    withModelProject(
      { "models/a.sql": modelFile('{{#if (sourceExists "absent")}}SELECT * FROM {{source "absent"}}{{else}}SELECT 1 AS x{{/if}}') },
      (root) => {
        const project = loadModelProject(join(root, "models"), { sources: SOURCES });
        expect(project.models[0]?.sources).toEqual([]);
      },
    );
  });

  test("a cycle, with its full path and the line of every ref on it", () => {
    const error = loadError({
      "models/a.sql": modelFile('SELECT * FROM {{ref "b"}}'),
      "models/b.sql": modelFile('SELECT *\nFROM {{ref "c"}}'),
      "models/c.sql": modelFile('SELECT * FROM {{source "users"}}\nUNION ALL\nSELECT * FROM {{ref "a"}}'),
      "models/d.sql": modelFile('SELECT * FROM {{ref "a"}}'),
    });
    expect(error).toBeInstanceOf(ModelCycleError);
    expect(error.message).toBe(
      [
        "Found a cycle in models: a -> b -> c -> a",
        '  models/a.sql:4: {{ref "b"}}',
        '  models/b.sql:5: {{ref "c"}}',
        '  models/c.sql:6: {{ref "a"}}',
      ].join("\n"),
    );
    expect((error as ModelCycleError).path).toEqual(["a", "b", "c", "a"]);
  });

  test("a model that refs itself", () => {
    const error = loadError({ "models/a.sql": modelFile('SELECT * FROM {{ref "a"}}') });
    expect(error.message).toBe('Found a cycle in models: a -> a\n  models/a.sql:4: {{ref "a"}}');
  });

  test("a model that reads {{self}}: a view of itself recurses once queried", () => {
    const error = loadError({ "models/a.sql": modelFile("SELECT *\nFROM {{self}}") });
    expect(error).toBeInstanceOf(ModelTemplateError);
    expect(error.message).toBe("models/a.sql:5: uses {{self}}, which names the model itself: its own SELECT cannot read it");
  });

  test("a SQL data test that renders to several statements is refused at load, as a model body is", () => {
    const error = loadError({
      "models/a.sql": modelFile("SELECT 1 AS x", { tests: [{ name: "sneaky", sql: "SELECT * FROM {{self}} WHERE x IS NULL) AS a; CREATE TABLE injected AS SELECT 1 AS y; SELECT * FROM (SELECT 1" }] }),
    });
    expect(error).toBeInstanceOf(ModelTemplateError);
    expect(error.message).toBe("models/a.sql: test sneaky: renders to more than one SQL statement (a semicolon ends the SELECT and another statement follows)");
  });

  test("a missing variable (strict mode)", () => {
    const error = loadError({ "models/a.sql": modelFile("SELECT *\nFROM t\nWHERE x = {{threshold}}") });
    expect(error).toBeInstanceOf(ModelTemplateError);
    expect(error.message).toBe('models/a.sql:6: "threshold" is not defined (templates render in strict mode)');
  });

  test("an unknown helper", () => {
    const error = loadError({ "models/a.sql": modelFile('SELECT\n  {{upper "x"}} AS y') });
    expect(error).toBeInstanceOf(ModelTemplateError);
    expect(error.message).toBe('models/a.sql:5: unknown helper "upper"');
    expect((error as ModelTemplateError).hint).toMatch(/^Helpers: ref, source, sourceExists, self, withRecursive, now, /);
  });

  test("an unquoted helper argument, which strict mode does not check, fails in the helper", () => {
    const error = loadError({ "models/a.sql": modelFile("SELECT * FROM {{ref users}}") });
    expect(error.message).toBe('models/a.sql:4: helper "ref" needs a name in quotes as its model name; got undefined (an unquoted or misspelled variable?)');
  });

  test.each([
    ['{{daysAgo "90"}}', 'helper "daysAgo" needs an integer as its number of days; got "90"'],
    ["{{daysAgo}}", 'helper "daysAgo" takes 1 argument (number of days); got 0'],
    ['{{cast "x" "varchar"}}', 'helper "cast" needs one of "string", "int64", "float64", "bool", "timestamp", "date" as its type; got "varchar"'],
    ['{{unnest "t.xs" "x" index="i"}}', 'helper "unnest" has no option "index"'],
    ['{{stringAgg "x" distinct="false"}}', 'helper "stringAgg" needs true or false (unquoted) as its option "distinct"; got "false"'],
  ])("a bad helper call %s", (call, reason) => {
    expect(loadError({ "models/a.sql": modelFile(`SELECT\n${call}`) }).message).toBe(`models/a.sql:5: ${reason}`);
  });

  test("a template that does not parse", () => {
    const error = loadError({ "models/a.sql": modelFile("SELECT 1\n{{#if (sourceExists \"users\")}}\nx") });
    expect(error).toBeInstanceOf(ModelTemplateError);
    expect(error.message).toMatch(/^models\/a\.sql:6: template does not parse: Expecting .*got 'EOF'$/);
  });

  test("an error in a SQL test names the file and the test", () => {
    const error = loadError({
      "models/a.sql": modelFile("SELECT 1 AS x", { tests: [{ name: "positive", sql: "SELECT * FROM {{ref \"zz\"}}" }] }),
    });
    expect(error.message).toBe('models/a.sql: model "a" depends on a model named "zz" which was not found');
  });

  test("a test entry that means one kind of test is checked as that kind only", () => {
    const error = loadError({
      "models/a.sql": modelFile("SELECT 1 AS x", {
        columns: { x: { description: "x", tests: [{ accepted_values: ["a"] }, { relationships: { to: "a" } }, { acepted_values: { values: [1] } }] } },
        tests: [{ name: "t" }, { unique: { columns: [] } }],
      }),
    });
    expect(error.message).toBe(
      [
        "5 problems in model configuration:",
        "  models/a.sql at /columns/x/tests/0/accepted_values: must be object",
        '  models/a.sql at /columns/x/tests/1/relationships: is missing the required property "field"',
        '  models/a.sql at /columns/x/tests/2: must be "unique", "not_null", an object with "accepted_values" or an object with "relationships"',
        '  models/a.sql at /tests/0: is missing the required property "sql"',
        "  models/a.sql at /tests/1/unique/columns: must NOT have fewer than 1 items",
      ].join("\n"),
    );
  });

  test("front matter problems are all reported at once with their JSON pointers", () => {
    const error = loadError({
      "models/a.sql": "SELECT 1",
      "models/b.sql": '---\n{"description": "b",\n "columns": {}, "materialised": "view"}\n---\nSELECT 1',
      "models/c.sql": '---\n{"description": "c", "columns": {"x": {"description": "x", "tests": ["uniq"]}}}\n---\nSELECT 1 AS x',
      "models/d.sql": '---\n{"description": "d",\n "columns": {\n}\n---\nSELECT 1',
      "models/e.sql": modelFile("SELECT 1 AS x", { columns: { x: { description: "x", tests: [{ relationships: { to: "nope", field: "id" } }] } } }),
      "models/sub/e.sql": modelFile("SELECT 1"),
    });
    expect(error).toBeInstanceOf(ModelConfigError);
    expect(error.message).toBe(
      [
        "6 problems in model configuration:",
        "  models/a.sql: must start with a front matter: a line ---, a JSON object with the model configuration, and a line ---",
        '  models/b.sql at /: has an unknown property "materialised"',
        '  models/c.sql at /columns/x/tests/0: must be "unique", "not_null", an object with "accepted_values" or an object with "relationships"',
        "  models/d.sql: has a front matter that is not valid JSON (Expected ',' or '}' after property value at line 4, column 2)",
        "  models/sub/e.sql: has the same model name as models/e.sql; model names are unique across folders",
        '  models/e.sql at /columns/x/tests: relationships(x -> nope.id) refers to a model named "nope" which was not found',
      ].join("\n"),
    );
  });
});
