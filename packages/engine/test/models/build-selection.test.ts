import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { duckDbSnapshot } from "../../src/destinations/duckdb/duckdb-destination.js";
import {
  buildModels, loadModelProject, ModelSelectionError, selectModels, type ModelEvent, type ModelExecutor, type ModelProject,
} from "../../src/models/index.js";
import { withModelFileLine } from "../../src/models/render-model.js";
import { openWarehouse } from "./duckdb-warehouse.js";
import { modelFile, withModelProject } from "./with-model-project.js";

const TARGET = { sourceSchema: "main", modelSchema: "main" };

const FILES = {
  "models/staging/a.sql": modelFile('SELECT id AS user_id, account_enabled FROM {{source "users"}}'),
  "models/b.sql": modelFile('SELECT user_id FROM {{ref "a"}} WHERE account_enabled'),
  "models/c.sql": modelFile('SELECT COUNT(*) AS n FROM {{ref "b"}}', { materialized: "table" }),
  "models/d.sql": modelFile('SELECT user_id FROM {{ref "a"}}'),
  "models/e.sql": modelFile("SELECT 1 AS one"),
};

function withProject<T>(files: Record<string, string>, fn: (project: ModelProject) => T): T {
  return withModelProject(files, (root) => fn(loadModelProject(join(root, "models"), { sources: ["users"] })));
}

/** An executor that records what it is asked and runs nothing. */
function recordingExecutor(): ModelExecutor & { calls: string[] } {
  const calls: string[] = [];
  return {
    dialect: "duckdb",
    calls,
    async execute(sql) {
      calls.push(sql);
    },
    async query(sql) {
      calls.push(sql);
      return [{ failures: 0 }];
    },
  };
}

describe("selection", () => {
  test.each([
    [undefined, ["a", "b", "c", "d", "e"]],
    ["b", ["b"]],
    ["b+", ["b", "c"]],
    ["a+", ["a", "b", "c", "d"]],
    [" e+ ", ["e"]],
    ["+c", ["a", "b", "c"]],
    ["+b+", ["a", "b", "c"]],
    ["+e", ["e"]],
  ])("select %s picks %j in build order", (selector, expected) => {
    withProject(FILES, (project) => {
      expect(project.order).toEqual(["a", "b", "c", "d", "e"]);
      expect(selectModels(project, selector)).toEqual(expected);
    });
  });

  test("an unknown model is a ModelSelectionError", () => {
    withProject(FILES, (project) => {
      expect(() => selectModels(project, "zz+")).toThrow(ModelSelectionError);
      expect(() => selectModels(project, "zz+")).toThrow('No model matches the selection "zz+"');
      expect(() => selectModels(project, "+zz")).toThrow('No model matches the selection "+zz"');
      expect(() => selectModels(project, "+")).toThrow('No model matches the selection "+"');
    });
  });
});

describe("buildModels", () => {
  test("a model reading a declared table that is not synced is skipped with its dependants; the rest builds and the build is ok", async () => {
    const files = {
      ...FILES,
      "models/staging/g.sql": modelFile('SELECT id AS group_id FROM {{source "groups"}}'),
      "models/h.sql": modelFile('SELECT group_id FROM {{ref "g"}} JOIN {{ref "a"}} ON TRUE'),
    };
    await withModelProject(files, async (root) => {
      const project = loadModelProject(join(root, "models"), { sources: ["users"], declared: ["users", "groups"] });
      const executor = recordingExecutor();
      const result = await buildModels(project, executor, { target: TARGET });
      const status = Object.fromEntries(result.models.map((m) => [m.name, [m.status, m.reason ?? null, m.awaitsSync ?? false]]));
      expect(status).toEqual({
        a: ["built", null, false],
        b: ["built", null, false],
        c: ["built", null, false],
        d: ["built", null, false],
        e: ["built", null, false],
        g: ["skipped", "reads groups, not synced: select it in the config's tables if need be, then run a sync", true],
        h: ["skipped", "upstream model g skipped", true],
      });
      expect(result.ok).toBe(true);
      expect(executor.calls.filter((sql) => sql.includes('"groups"') || sql.includes('"g"'))).toEqual([]);
    });
  });

  test("a model skipped because its upstream model failed still fails the build", async () => {
    await withProject(FILES, async (project) => {
      const executor: ModelExecutor = { ...recordingExecutor(), execute: async (sql) => { if (sql.includes('"main"."a"')) throw new Error("boom"); } };
      const result = await buildModels(project, executor, { target: TARGET, select: "a+" });
      expect(result.models.map((m) => [m.name, m.status, m.awaitsSync ?? false])).toEqual([["a", "failed", false], ["b", "skipped", false], ["c", "skipped", false], ["d", "skipped", false]]);
      expect(result.ok).toBe(false);
    });
  });

  test("a dry run returns the rendered SQL of the selection and runs nothing", async () => {
    await withProject(FILES, async (project) => {
      const executor = recordingExecutor();
      const events: ModelEvent[] = [];
      const result = await buildModels(project, executor, { select: "b+", dryRun: true, target: TARGET, onEvent: (e) => events.push(e) });
      expect(executor.calls).toEqual([]);
      expect(events).toEqual([]);
      expect(result.dryRun).toBe(true);
      expect(result.models.map((m) => [m.name, m.status, m.sql])).toEqual([
        ["b", "rendered", 'CREATE OR REPLACE VIEW "main"."b" AS\nSELECT user_id FROM "main"."a" WHERE account_enabled'],
        ["c", "rendered", 'CREATE OR REPLACE TABLE "main"."c" AS\nSELECT COUNT(*) AS n FROM "main"."b"'],
      ]);
    });
  });

  test("builds the selection in DuckDB, runs data tests after building, and reports failures with a sample", async () => {
    const files = {
      ...FILES,
      "models/b.sql": modelFile('SELECT a.user_id, u.display_name FROM {{ref "a"}} AS a INNER JOIN {{source "users"}} AS u ON u.id = a.user_id WHERE a.account_enabled', {
        columns: {
          user_id: { description: "id", tests: ["unique", "not_null", { relationships: { to: "d", field: "user_id" } }] },
          display_name: { description: "name", tests: ["not_null", { accepted_values: { values: ["Ann", "Bo"] } }] },
        },
        tests: [{ name: "no_bob", sql: "SELECT * FROM {{self}} WHERE display_name = {{lit \"Bob\"}}" }],
      }),
    };
    const warehouse = await openWarehouse();
    try {
      await warehouse.handle.run(`INSERT INTO users (id, display_name, account_enabled, _kaivo_synced_at) VALUES
        ('u1', 'Ann', TRUE, now()), ('u2', NULL, TRUE, now()), ('u3', 'Bob', TRUE, now()), ('u4', 'Cy', FALSE, now())`);
      const { executor, target } = await warehouse.modelExecutor("main");
      const events: ModelEvent[] = [];
      const result = await withProject(files, (project) =>
        buildModels(project, executor, { select: "a+", target, onEvent: (e) => events.push(e), clock: () => 0 }),
      );
      expect(result.models.map((m) => [m.name, m.status])).toEqual([["a", "built"], ["b", "built"], ["c", "built"], ["d", "built"]]);
      const b = result.models.find((m) => m.name === "b");
      expect(b?.tests.map((t) => [t.name, t.status, t.failures, t.sample])).toEqual([
        ["unique(user_id)", "passed", 0, []],
        ["not_null(user_id)", "passed", 0, []],
        ["relationships(user_id -> d.user_id)", "passed", 0, []],
        ["not_null(display_name)", "failed", 1, [{ user_id: "u2", display_name: null }]],
        ["accepted_values(display_name)", "failed", 1, [{ value: "Bob", n_rows: 1 }]],
        ["no_bob", "failed", 1, [{ user_id: "u3", display_name: "Bob" }]],
      ]);
      expect(result.ok).toBe(false);
      expect(events.map((e) => `${e.type} ${e.model}${"test" in e ? ` ${e.test}` : ""}`)).toEqual([
        "model.built a", "model.built b", "model.built c", "model.built d",
        "model.tests.started b",
        "model.test.passed b unique(user_id)", "model.test.passed b not_null(user_id)", "model.test.passed b relationships(user_id -> d.user_id)",
        "model.test.failed b not_null(display_name)", "model.test.failed b accepted_values(display_name)", "model.test.failed b no_bob",
      ]);
      expect(await warehouse.handle.query('SELECT n::INTEGER AS n FROM "main"."c"')).toEqual([{ n: 3 }]);
    } finally {
      await warehouse.close();
    }
  });

  test("a view's data tests read it once, from a snapshot dropped afterwards; results show their SQL against the view", async () => {
    const files = {
      ...FILES,
      "models/b.sql": modelFile('SELECT id AS user_id, display_name FROM {{source "users"}}', {
        columns: { user_id: { description: "id", tests: ["unique", "not_null"] } },
        tests: [{ name: "no_bob", sql: "SELECT * FROM {{self}} WHERE display_name = 'Bob'" }],
      }),
    };
    const warehouse = await openWarehouse();
    try {
      await warehouse.handle.run(`INSERT INTO users (id, display_name, account_enabled, _kaivo_synced_at) VALUES ('u1', 'Ann', TRUE, now()), ('u3', 'Bob', TRUE, now())`);
      const { executor: inner, target } = await warehouse.modelExecutor("main");
      const sent: string[] = [];
      const execute = (sql: string) => (sent.push(sql), inner.execute(sql));
      const executor: ModelExecutor = { ...inner, execute, query: (sql) => (sent.push(sql), inner.query(sql)), snapshot: duckDbSnapshot(execute) };
      const result = await withProject(files, (project) => buildModels(project, executor, { select: "b", target }));
      const tests = result.models[0]!.tests;
      expect(tests.map((t) => [t.name, t.status, t.sample])).toEqual([
        ["unique(user_id)", "passed", []],
        ["not_null(user_id)", "passed", []],
        ["no_bob", "failed", [{ user_id: "u3", display_name: "Bob" }]],
      ]);
      expect(tests.map((t) => t.sql)).toEqual([
        'SELECT "user_id", COUNT(*) AS n_rows FROM "main"."b" GROUP BY "user_id" HAVING COUNT(*) > 1',
        'SELECT * FROM "main"."b" WHERE "user_id" IS NULL',
        `SELECT * FROM "main"."b" WHERE display_name = 'Bob'`,
      ]);
      const afterBuild = sent.slice(sent.findIndex((s) => s.startsWith("CREATE OR REPLACE VIEW")) + 1);
      expect(afterBuild.filter((s) => s.includes('"main"."b"'))).toEqual(['CREATE OR REPLACE TEMP TABLE temp.main."kaivo_tests_b" AS SELECT * FROM "main"."b"']);
      expect(afterBuild.at(-1)).toBe('DROP TABLE IF EXISTS temp.main."kaivo_tests_b"');
      expect(await warehouse.handle.query("SELECT table_name FROM duckdb_tables() WHERE temporary")).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });

  test("a SQL data test may end with a semicolon and a comment: it still runs, and finds its rows", async () => {
    const files = { "models/a.sql": modelFile('SELECT id AS user_id FROM {{source "users"}}', { tests: [{ name: "no_u2", sql: "SELECT * FROM {{self}} WHERE user_id = {{lit \"u2\"}}; -- u2 left" }] }) };
    const warehouse = await openWarehouse();
    try {
      await warehouse.handle.run(`INSERT INTO users (id, _kaivo_synced_at) VALUES ('u1', now()), ('u2', now())`);
      const { executor, target } = await warehouse.modelExecutor("main");
      const result = await withProject(files, (project) => buildModels(project, executor, { target }));
      expect(result.models[0]!.tests.map((t) => [t.name, t.status, t.sample])).toEqual([["no_u2", "failed", [{ user_id: "u2" }]]]);
    } finally {
      await warehouse.close();
    }
  });

  test("a view switched to a table whose SQL fails keeps the view (the drop and the create are one transaction)", async () => {
    const view = { "models/a.sql": modelFile('SELECT id AS user_id FROM {{source "users"}}') };
    const broken = { "models/a.sql": modelFile('SELECT idd AS user_id FROM {{source "users"}}', { materialized: "table" }) };
    const warehouse = await openWarehouse();
    try {
      await warehouse.handle.run(`INSERT INTO users (id, _kaivo_synced_at) VALUES ('u1', now())`);
      const { executor, target } = await warehouse.modelExecutor("main");
      expect((await withProject(view, (project) => buildModels(project, executor, { target }))).models[0]!.status).toBe("built");
      const failed = await withProject(broken, (project) => buildModels(project, executor, { target }));
      expect(failed.models[0]!.status).toBe("failed");
      expect(await warehouse.handle.query("SELECT table_type FROM information_schema.tables WHERE table_name = 'a'")).toEqual([{ table_type: "VIEW" }]);
      expect(await warehouse.handle.query("SELECT user_id FROM a")).toEqual([{ user_id: "u1" }]);
    } finally {
      await warehouse.close();
    }
  });

  test("a SQL data test reading a declared table the config leaves out waits for it, as a model would, and fails nothing", async () => {
    const files = { "models/a.sql": modelFile('SELECT id AS user_id FROM {{source "users"}}', { tests: [{ name: "in_a_group", sql: 'SELECT * FROM {{self}} WHERE user_id NOT IN (SELECT member_id FROM {{source "group_members"}})' }] }) };
    const warehouse = await openWarehouse();
    try {
      const { executor, target } = await warehouse.modelExecutor("main");
      const result = await withModelProject(files, (root) =>
        buildModels(loadModelProject(join(root, "models"), { sources: ["users"], declared: ["users", "group_members"] }), executor, { target }),
      );
      expect(result.models[0]!.tests.map((t) => [t.name, t.status, t.reason])).toEqual([["in_a_group", "skipped", "reads group_members, not synced"]]);
      expect(result.ok).toBe(true);
    } finally {
      await warehouse.close();
    }
  });

  test("when the snapshot cannot be made, the tests run against the view", async () => {
    const files = { ...FILES, "models/d.sql": modelFile('SELECT user_id FROM {{ref "a"}}', { columns: { user_id: { description: "id", tests: ["unique", "not_null"] } } }) };
    const warehouse = await openWarehouse();
    try {
      await warehouse.handle.run(`INSERT INTO users (id, account_enabled, _kaivo_synced_at) VALUES ('u1', TRUE, now()), ('u1', FALSE, now())`);
      const { executor: inner, target } = await warehouse.modelExecutor("main");
      const executor: ModelExecutor = { ...inner, snapshot: () => Promise.reject(new Error("no room for a copy")) };
      const result = await withProject(files, (project) => buildModels(project, executor, { select: "a+", target }));
      expect(result.models.find((m) => m.name === "d")?.tests.map((t) => [t.name, t.status, t.failures])).toEqual([["unique(user_id)", "failed", 1], ["not_null(user_id)", "passed", 0]]);
    } finally {
      await warehouse.close();
    }
  });

  test("a failed model skips what depends on it and nothing else", async () => {
    const files = { ...FILES, "models/b.sql": modelFile('SELECT no_such_column FROM {{ref "a"}}') };
    const warehouse = await openWarehouse();
    try {
      const { executor, target } = await warehouse.modelExecutor("main");
      const events: ModelEvent[] = [];
      const result = await withProject(files, (project) => buildModels(project, executor, { target, onEvent: (e) => events.push(e) }));
      expect(result.models.map((m) => [m.name, m.status, m.reason])).toEqual([
        ["a", "built", undefined], ["b", "failed", undefined], ["c", "skipped", "upstream model b failed"], ["d", "built", undefined], ["e", "built", undefined],
      ]);
      expect(result.models[1]?.error).toMatch(/no_such_column/);
      expect(result.ok).toBe(false);
      expect(events.map((e) => e.type)).toEqual(["model.built", "model.failed", "model.skipped", "model.built", "model.built"]);
    } finally {
      await warehouse.close();
    }
  });
  test("a statement DuckDB refuses is traced to the line of the model's file, unless the template's helpers moved its lines", async () => {
    // File lines: 1-3 the front matter, 4 the comment, 5 SELECT, 6 user_id, 7 the bad column.
    const broken = modelFile('-- users who are not\nSELECT\n  user_id,\n  no_such_column\nFROM {{ref "a"}}');
    const moved = modelFile('{{#if true}}\n-- one line fewer once rendered\n{{/if}}\nSELECT\n  no_such_column\nFROM {{ref "a"}}');
    const warehouse = await openWarehouse();
    try {
      const { executor, target } = await warehouse.modelExecutor("main");
      const result = await withProject({ ...FILES, "models/b.sql": broken, "models/d.sql": moved }, (project) => buildModels(project, executor, { target }));
      const errors = Object.fromEntries(result.models.map((m) => [m.name, m.error]));
      expect(errors.b).toMatch(/LINE 5:\s+no_such_column/);
      expect(errors.b).toMatch(/\n\(line 5 of the statement is line 7 of models\/b\.sql\)$/);
      expect(errors.d).toMatch(/no_such_column/);
      expect(errors.d).not.toContain("of models/d.sql");
    } finally {
      await warehouse.close();
    }
  });

  test("BigQuery's [line:column] is traced too", () => {
    withProject({ ...FILES, "models/b.sql": modelFile("\nSELECT\n  nope\nFROM {{ref \"a\"}}") }, (project) => {
      const message = withModelFileLine("Unrecognized name: nope at [3:3]", project, "b", "bigquery", { ...TARGET, project: "p" });
      expect(message).toBe("Unrecognized name: nope at [3:3]\n(line 3 of the statement is line 6 of models/b.sql)");
      expect(withModelFileLine("Not found: Dataset p:main", project, "b", "bigquery", { ...TARGET, project: "p" })).toBe("Not found: Dataset p:main");
    });
  });

  test("a model switched between view and table replaces the other kind; a broken one runs once and leaves the old object as it was", async () => {
    const warehouse = await openWarehouse();
    const kindOf = async () => (await warehouse.handle.query("SELECT table_type FROM information_schema.tables WHERE table_name = 'e'"))[0]?.table_type;
    const sent: string[] = [];
    const build = async (template: string, materialized: "view" | "table") => {
      const { executor: inner, target } = await warehouse.modelExecutor("main");
      const executor: ModelExecutor = { ...inner, execute: (sql) => (sent.push(sql), inner.execute(sql)) };
      return withProject({ ...FILES, "models/e.sql": modelFile(template, { materialized }) }, (project) => buildModels(project, executor, { select: "e", target }));
    };
    try {
      expect((await build("SELECT 1 AS one", "view")).ok).toBe(true);
      expect(await kindOf()).toBe("VIEW");
      expect((await build("SELECT 2 AS one", "table")).ok).toBe(true);
      expect(await kindOf()).toBe("BASE TABLE");
      expect(await warehouse.handle.query('SELECT one FROM "main"."e"')).toEqual([{ one: 2 }]);
      // A dry run shows the DROP the build would run first, and runs nothing.
      sent.length = 0;
      const dry = await withProject({ ...FILES, "models/e.sql": modelFile("SELECT 3 AS one", { materialized: "view" }) }, async (project) => {
        const { executor: inner, target } = await warehouse.modelExecutor("main");
        return buildModels(project, { ...inner, execute: (sql) => (sent.push(sql), inner.execute(sql)) }, { select: "e", target, dryRun: true });
      });
      expect(dry.models[0]).toMatchObject({ status: "rendered", drop: 'DROP TABLE IF EXISTS "main"."e"', sql: expect.stringMatching(/^CREATE OR REPLACE VIEW/) });
      expect(sent).toStrictEqual([]);
      expect(await kindOf()).toBe("BASE TABLE");
      expect((await build("SELECT 3 AS one", "view")).ok).toBe(true);
      expect(await kindOf()).toBe("VIEW");
      const broken = await build("SELECT no_such_column FROM {{ref \"a\"}}", "view");
      expect(broken.models[0]?.error).toMatch(/no_such_column/);
      expect(await warehouse.handle.query('SELECT one FROM "main"."e"')).toEqual([{ one: 3 }]);
      // With nothing in its place, a broken model's CREATE is sent once (not again after a DROP that found nothing).
      await warehouse.handle.run('DROP VIEW "main"."e"');
      sent.length = 0;
      await build("SELECT no_such_column FROM {{ref \"a\"}}", "view");
      expect(sent.filter((s) => s.startsWith("CREATE OR REPLACE"))).toHaveLength(1);
    } finally {
      await warehouse.close();
    }
  });

  test("a SQL test may end in a comment; a test's error names the view, not the snapshot its tests read", async () => {
    const files = {
      ...FILES,
      "models/b.sql": modelFile('SELECT id AS user_id FROM {{source "users"}}', {
        columns: { user_id: { description: "id", tests: ["unique"] } },
        tests: [
          { name: "commented", sql: "SELECT * FROM {{self}} WHERE user_id = 'u9' -- no such user" },
          { name: "typo", sql: "SELECT * FROM {{self}} WHERE user_idd = 'u1'" },
        ],
      }),
    };
    const warehouse = await openWarehouse();
    try {
      await warehouse.handle.run("INSERT INTO users (id, account_enabled, _kaivo_synced_at) VALUES ('u1', TRUE, now())");
      const { executor, target } = await warehouse.modelExecutor("main");
      const result = await withProject(files, (project) => buildModels(project, executor, { select: "b", target }));
      const tests = result.models[0]!.tests;
      expect(tests.map((t) => [t.name, t.status])).toEqual([["unique(user_id)", "passed"], ["commented", "passed"], ["typo", "error"]]);
      expect(tests[2]?.error).toContain('"main"."b"');
      expect(tests[2]?.error).not.toContain("kaivo_tests_b");
    } finally {
      await warehouse.close();
    }
  });
});
