import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { toColumns } from "./columns.js";
import type { TableDeclaration } from "./declaration.js";
import { generatedBanner } from "./emit/banner.js";
import { emitBigQuerySchema } from "./emit/bigquery-schema.js";
import { emitDuckDbDdlFile } from "./emit/duckdb-ddl.js";
import { emitRecordType } from "./emit/typescript.js";
import { toRecordTypeName } from "./naming.js";

/** A file codegen owns, by path relative to the project root. */
export interface GeneratedFile {
  path: string;
  contents: string;
}

/** The folder (under the project root) that holds everything codegen writes. */
export const GENERATED_DIR = "generated";
const OUTPUT_DIRS = ["types", "bigquery", "duckdb"].map((d) => `${GENERATED_DIR}/${d}`);

const README = `# Generated files

Everything under this folder is written by \`npx kaivo codegen\` from the declarations in \`tables/\`.
Do not edit it by hand: change a declaration and run codegen again. CI runs \`npx kaivo codegen --check\`,
which fails on any stale file.

- \`types/<table>.ts\`: the TypeScript type of one record as Microsoft Graph sends it.
- \`bigquery/<table>.json\`: the BigQuery schema (usable with \`bq mk --schema\`; JSON has no room for a banner,
  so this README is it).
- \`duckdb/<table>.sql\`: DuckDB DDL for the embedded warehouse.
`;

/** Everything codegen writes for these declarations, in a stable order. */
export async function generateFiles(declarations: readonly TableDeclaration[], projectRoot: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [{ path: `${GENERATED_DIR}/README.md`, contents: README }];
  for (const d of declarations) {
    const source = relative(projectRoot, d.file).split("\\").join("/");
    const columns = toColumns(d);
    files.push(
      { path: `${GENERATED_DIR}/types/${d.name}.ts`, contents: await emitRecordType(d, source) },
      { path: `${GENERATED_DIR}/bigquery/${d.name}.json`, contents: emitBigQuerySchema(columns) },
      { path: `${GENERATED_DIR}/duckdb/${d.name}.sql`, contents: emitDuckDbDdlFile(d, columns, source) },
    );
  }
  const index = declarations.map((d) => `export type { ${toRecordTypeName(d.name)} } from "./${d.name}.js";`).join("\n");
  files.push({ path: `${GENERATED_DIR}/types/index.ts`, contents: `${generatedBanner("//", "tables/*.json")}\n${index}\n` });
  return files;
}

export interface StaleFile {
  path: string;
  reason: "missing" | "out of date" | "no longer generated";
}

/** Generated files on disk that differ from what codegen would write now. */
export function findStaleFiles(projectRoot: string, expected: readonly GeneratedFile[]): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const file of expected) {
    const path = join(projectRoot, file.path);
    if (!existsSync(path)) stale.push({ path: file.path, reason: "missing" });
    else if (readFileSync(path, "utf8") !== file.contents) stale.push({ path: file.path, reason: "out of date" });
  }
  const expectedPaths = new Set(expected.map((f) => f.path));
  for (const dir of OUTPUT_DIRS) {
    const abs = join(projectRoot, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).sort()) {
      const path = `${dir}/${name}`;
      if (!expectedPaths.has(path)) stale.push({ path, reason: "no longer generated" });
    }
  }
  return stale;
}

/** Writes the generated files and removes ones no declaration produces any more. Returns what changed. */
export function writeGeneratedFiles(projectRoot: string, expected: readonly GeneratedFile[]): StaleFile[] {
  const stale = findStaleFiles(projectRoot, expected);
  const byPath = new Map(expected.map((f) => [f.path, f]));
  for (const s of stale) {
    const abs = join(projectRoot, s.path);
    const file = byPath.get(s.path);
    if (file) {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, file.contents);
    } else {
      rmSync(abs);
    }
  }
  return stale;
}
