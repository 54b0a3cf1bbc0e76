import { generateFiles, KaivoError, loadDeclarations, resolveProjectRoot, writeGeneratedFiles, findStaleFiles } from "@kaivo/codegen";
import type { Command } from "commander";
import { join } from "node:path";
import { refuseTablesNamedLikeModels } from "../command-context.js";
import type { CliIo } from "../io.js";

export class StaleGeneratedFilesError extends KaivoError {
  constructor(readonly files: ReadonlyArray<{ path: string; reason: string }>) {
    super("KAIVO_CODEGEN_STALE", "internal", `${files.length} generated file${files.length === 1 ? " is" : "s are"} stale:\n${files.map((f) => `  ${f.path} (${f.reason})`).join("\n")}`, {
      hint: "Run `npx kaivo codegen` and commit the result.",
    });
  }
}

export function registerCodegenCommand(program: Command, io: CliIo): void {
  program
    .command("codegen")
    .description("Validate tables/*.json and write TypeScript types, BigQuery schemas and DuckDB DDL into generated/")
    .option("--check", "write nothing; exit non-zero naming every stale generated file")
    .action(async (options: { check?: boolean }) => {
      const root = resolveProjectRoot(io.cwd);
      const declarations = loadDeclarations(join(root, "tables"));
      refuseTablesNamedLikeModels(root, declarations);
      const files = await generateFiles(declarations, root);
      if (options.check) {
        const stale = findStaleFiles(root, files);
        if (stale.length > 0) throw new StaleGeneratedFilesError(stale);
        io.out(`codegen: ${files.length} generated files are up to date (${declarations.length} tables)\n`);
        return;
      }
      const changed = writeGeneratedFiles(root, files);
      for (const c of changed) io.out(`${c.reason === "no longer generated" ? "removed" : "wrote"} ${c.path}\n`);
      io.out(`codegen: ${declarations.length} tables, ${changed.length} file${changed.length === 1 ? "" : "s"} changed\n`);
    });
}
