import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { checkAcrossDeclarations, checkDeclaration } from "./check-declaration.js";
import type { TableDeclaration } from "./declaration.js";
import { DeclarationError, type DeclarationProblem } from "./errors.js";
import { parseJsonText } from "./json-text.js";
import { validateAgainstMetaSchema } from "./validate-declaration.js";

/**
 * Reads and validates every `*.json` in `dir` (meta-schema with ajv, then the rules ajv cannot
 * see). Returns the declarations sorted by name, or throws one DeclarationError listing every
 * problem in every file.
 */
export function loadDeclarations(dir: string): TableDeclaration[] {
  const problems: DeclarationProblem[] = [];
  const declarations: TableDeclaration[] = [];
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  } catch (error) {
    throw new DeclarationError([{ file: dir, pointer: "", message: `cannot be read (${(error as Error).message})` }]);
  }
  if (files.length === 0) throw new DeclarationError([{ file: dir, pointer: "", message: "holds no *.json table declarations" }]);

  for (const name of files) {
    const file = join(dir, name);
    const parsed = parseJsonText(readFileSync(file, "utf8"));
    if (!parsed.ok) {
      problems.push({ file, pointer: "", message: `is not valid JSON: ${parsed.reason}` });
      continue;
    }
    const value = parsed.value;
    const schemaProblems = validateAgainstMetaSchema(value);
    if (schemaProblems.length > 0) {
      problems.push(...schemaProblems.map((p) => ({ file, ...p })));
      continue;
    }
    const declaration = { ...(value as Omit<TableDeclaration, "file">), file } as TableDeclaration;
    delete (declaration as { $schema?: string }).$schema;
    const ruleProblems = checkDeclaration(declaration, basename(name, ".json"));
    problems.push(...ruleProblems.map((p) => ({ file, ...p })));
    if (ruleProblems.length === 0) declarations.push(declaration);
  }
  problems.push(...checkAcrossDeclarations(declarations));
  if (problems.length > 0) throw new DeclarationError(problems);
  return declarations.sort((a, b) => a.name.localeCompare(b.name));
}
