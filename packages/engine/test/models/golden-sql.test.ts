import { describe, expect, test } from "vitest";
import { loadModelProject, renderModel, type Dialect } from "../../src/models/index.js";
import { MODELS_DIR, syncedTableNames } from "./duckdb-warehouse.js";

/**
 * The rendered SQL of every model in both dialects, kept as golden files (Dataform's habit) so a
 * change to a template or a helper shows up as a reviewable diff. Update with `vitest run -u`.
 */
describe("golden SQL", () => {
  const project = loadModelProject(MODELS_DIR, { sources: syncedTableNames() });
  const targets: Record<Dialect, { sourceSchema: string; modelSchema: string; project?: string }> = {
    duckdb: { sourceSchema: "main", modelSchema: "main" },
    bigquery: { sourceSchema: "entraid", modelSchema: "entraid", project: "my-project" },
  };

  test("build order puts staging first", () => {
    const firstOther = project.order.findIndex((name) => !name.startsWith("stg_"));
    expect(project.order.slice(firstOther).some((name) => name.startsWith("stg_"))).toBe(false);
    expect(project.order).toMatchSnapshot();
  });

  for (const dialect of ["duckdb", "bigquery"] as const) {
    test.each(project.order)(`${dialect} %s`, async (name) => {
      await expect(`${renderModel(project, name, dialect, targets[dialect])}\n`).toMatchFileSnapshot(`./golden/${dialect}/${name}.sql`);
    });
  }
});
