import nodeSqlParser from "node-sql-parser";
import { describe, expect, test } from "vitest";
import { loadModelProject, renderDataTest, renderModel } from "../../src/models/index.js";
import { MODELS_DIR, syncedTableNames } from "./duckdb-warehouse.js";

const parser = new nodeSqlParser.Parser();
const TARGET = { sourceSchema: "entraid", modelSchema: "entraid_models", project: "acme-prod" };

/**
 * node-sql-parser 5.4 cannot parse WITH RECURSIVE, which GoogleSQL accepts; the keyword only ever
 * comes from the withRecursive helper, so the check reads it as a plain WITH. Nothing else is rewritten.
 */
function astifyGoogleSql(sql: string): unknown {
  return parser.astify(sql.replace(/\bWITH RECURSIVE\b/g, "WITH"), { database: "BigQuery" });
}

describe("the BigQuery rendering of every model parses as GoogleSQL", () => {
  const sources = syncedTableNames();
  const withSignIns = loadModelProject(MODELS_DIR, { sources });
  const withoutSignIns = loadModelProject(MODELS_DIR, { sources: sources.filter((s) => s !== "user_sign_in_activity") });

  test("the parser is a real check: it rejects broken SQL", () => {
    expect(() => astifyGoogleSql("CREATE OR REPLACE VIEW `p.d.v` AS SELECT a FROM `p.d.t` WHERE")).toThrow();
    expect(() => astifyGoogleSql("CREATE OR REPLACE VIEW `p.d.v` AS SELECT (a FROM `p.d.t`")).toThrow();
    // A DuckDB-only spelling the dialect must never emit:
    expect(() => astifyGoogleSql("SELECT x FROM `p.d.t` AS t CROSS JOIN UNNEST(t.xs) AS _u(x)")).toThrow();
  });

  test.each(withSignIns.order)("%s", (name) => {
    const sql = renderModel(withSignIns, name, "bigquery", TARGET);
    const ast = astifyGoogleSql(sql) as { type?: string; keyword?: string } | { type?: string; keyword?: string }[];
    const statement = Array.isArray(ast) ? ast[0] : ast;
    expect(statement?.type).toBe("create");
    expect(statement?.keyword).toBe(withSignIns.models.find((m) => m.name === name)?.config.materialized);
    expect(sql.startsWith(`CREATE OR REPLACE ${statement?.keyword === "table" ? "TABLE" : "VIEW"} \`acme-prod.entraid_models.${name}\` AS\n`)).toBe(true);
    // No DuckDB spelling leaks into GoogleSQL.
    expect(sql).not.toMatch(/"main"|TIMESTAMPTZ|TRY_CAST|list_contains|json_extract_string|generate_subscripts|current_timestamp\b(?!\()/);
  });

  test.each(withSignIns.models.flatMap((m) => m.tests.map((t) => [m.name, t.name] as const)))("data test %s %s", (model, testName) => {
    const definition = withSignIns.models.find((m) => m.name === model);
    const dataTest = definition?.tests.find((t) => t.name === testName);
    if (definition === undefined || dataTest === undefined) throw new Error("test not found");
    expect(() => astifyGoogleSql(renderDataTest(withSignIns, definition, dataTest, "bigquery", TARGET))).not.toThrow();
  });

  test("without user_sign_in_activity the sign-in staging model is a typed empty SELECT that parses", () => {
    const sql = renderModel(withoutSignIns, "stg_user_sign_in_activity", "bigquery", TARGET);
    expect(sql).toContain("CAST(NULL AS TIMESTAMP) AS last_activity_date_time");
    expect(sql).not.toContain("`acme-prod.entraid.user_sign_in_activity`");
    expect(() => astifyGoogleSql(sql)).not.toThrow();
  });

  test("sources and refs are fully qualified with backticks", () => {
    const sql = renderModel(withSignIns, "privileged_access", "bigquery", TARGET);
    expect(sql).toContain("FROM `acme-prod.entraid_models.stg_directory_role_members` AS rm");
    expect(renderModel(withSignIns, "stg_users", "bigquery", TARGET)).toContain("FROM `acme-prod.entraid.users`");
    expect(renderModel(withSignIns, "stg_users", "bigquery", { sourceSchema: "entraid", modelSchema: "entraid" })).toContain("FROM `entraid.users`");
  });
});
