import type { SqlDialect } from "./dialects/index.js";
import type { ModelConfigProblem } from "./errors.js";
import type { DataTestDefinition, ModelConfig } from "./types.js";

/** Turns the tests of a validated front matter into DataTestDefinitions; reports duplicate names. */
export function dataTestsOf(config: ModelConfig, file: string, problems: ModelConfigProblem[]): DataTestDefinition[] {
  const tests: DataTestDefinition[] = [];
  for (const [column, spec] of Object.entries(config.columns)) {
    for (const test of spec.tests ?? []) {
      if (test === "unique") tests.push({ kind: "unique", name: `unique(${column})`, columns: [column] });
      else if (test === "not_null") tests.push({ kind: "not_null", name: `not_null(${column})`, column });
      else if ("accepted_values" in test) {
        tests.push({ kind: "accepted_values", name: `accepted_values(${column})`, column, values: test.accepted_values.values });
      } else {
        const { to, field } = test.relationships;
        tests.push({ kind: "relationships", name: `relationships(${column} -> ${to}.${field})`, column, to, field });
      }
    }
  }
  for (const test of config.tests ?? []) {
    if ("unique" in test) tests.push({ kind: "unique", name: `unique(${test.unique.columns.join(", ")})`, columns: test.unique.columns });
    else tests.push({ kind: "sql", name: test.name, description: test.description, template: test.sql });
  }
  const seen = new Set<string>();
  for (const test of tests) {
    if (seen.has(test.name)) problems.push({ file, pointer: "/tests", message: `declares the test ${test.name} twice` });
    seen.add(test.name);
  }
  return tests;
}

/**
 * The SELECT returning the failing rows of a generic test (dbt's generic tests); SQL tests are
 * rendered from their template by the caller. `relation` is the model's, `resolve` gives others'.
 */
export function genericTestSql(
  test: Exclude<DataTestDefinition, { kind: "sql" }>,
  relation: string,
  dialect: SqlDialect,
  resolve: (model: string) => string,
): string {
  const q = (name: string) => dialect.quoteIdentifier(name);
  switch (test.kind) {
    case "unique": {
      const columns = test.columns.map(q).join(", ");
      return `SELECT ${columns}, COUNT(*) AS n_rows FROM ${relation} GROUP BY ${columns} HAVING COUNT(*) > 1`;
    }
    case "not_null":
      return `SELECT * FROM ${relation} WHERE ${q(test.column)} IS NULL`;
    case "accepted_values": {
      const values = test.values
        .map((v) => (typeof v === "string" ? dialect.stringLiteral(v) : typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : String(v)))
        .join(", ");
      return `SELECT ${q(test.column)} AS value, COUNT(*) AS n_rows FROM ${relation} WHERE ${q(test.column)} IS NOT NULL AND ${q(test.column)} NOT IN (${values}) GROUP BY ${q(test.column)}`;
    }
    case "relationships":
      return (
        `SELECT child.${q(test.column)} AS value FROM ${relation} AS child ` +
        `LEFT JOIN ${resolve(test.to)} AS parent ON child.${q(test.column)} = parent.${q(test.field)} ` +
        `WHERE child.${q(test.column)} IS NOT NULL AND parent.${q(test.field)} IS NULL`
      );
    default: {
      const unreachable: never = test;
      return unreachable;
    }
  }
}
