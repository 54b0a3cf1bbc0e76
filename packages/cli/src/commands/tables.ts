import { loadDeclarations, resolveProjectRoot, summarizeTable } from "@kaivo/codegen";
import type { Command } from "commander";
import { join } from "node:path";
import type { CliIo } from "../io.js";
import { renderTable } from "../render/table.js";

export function registerTablesCommand(program: Command, io: CliIo): void {
  program
    .command("tables")
    .description("List the declared tables with their sync mode, Graph source and required permission")
    .option("--json", "one JSON array for machines")
    .action((options: { json?: boolean }, command: Command) => {
      const { json } = command.optsWithGlobals<{ json?: boolean }>();
      const declarations = loadDeclarations(join(resolveProjectRoot(io.cwd), "tables"));
      const summaries = declarations.map((d) => summarizeTable(d, declarations));
      if (json || options.json) {
        io.out(`${JSON.stringify(summaries, null, 2)}\n`);
        return;
      }
      const rows = summaries.map((s) => [
        s.name + (s.selectedByDefault ? "" : " *"),
        s.syncMode,
        s.graphSource,
        s.permissions.join(" + "),
      ]);
      io.out(renderTable(["TABLE", "SYNC", "GRAPH SOURCE", "PERMISSION"], rows));
      if (summaries.some((s) => !s.selectedByDefault)) io.out("\n* not synced unless selected in the config (needs an extra licence or permission)\n");
    });
}
