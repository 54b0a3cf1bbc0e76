import { ConfigError, DuckDbHandle } from "@kaivo/engine";
import { KaivoError } from "@kaivo/codegen";
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { commandConfig, projectDeclarations } from "../command-context.js";
import type { CliIo } from "../io.js";
import { renderTable } from "../render/table.js";

export function registerSqlCommand(program: Command, io: CliIo): void {
  program
    .command("sql")
    .description("Query the local DuckDB warehouse")
    .argument("<query>", "SQL to run")
    .option("--database <file>", "DuckDB file (default: the config's, else ./kaivo.duckdb)")
    .option("--config <file>", "config file", "kaivo.json")
    .option("--json", "print the rows as a JSON array of objects")
    .action(async (query: string, flags: { database?: string; config: string; json?: boolean }, command: Command) => {
      const json = flags.json || command.optsWithGlobals<{ json?: boolean }>().json;
      const path = flags.database ? resolve(io.cwd, flags.database) : databaseFromConfig(io, flags.config);
      const where = flags.database ? "--database" : "warehouse.path";
      if (query.trim() === "") throw new ConfigError("<query>", "is empty", 'Pass the SQL to run, e.g. kaivo sql "SELECT count(*) FROM users".');
      if (!existsSync(path)) throw new ConfigError(where, `${path} does not exist`, "Run `npx kaivo run` or `npx kaivo demo` first, or pass --database <file>.");
      // Queries only: the warehouse is the sync's to write, and readers may share it.
      const db = await DuckDbHandle.open(path, where, { readOnly: true });
      try {
        let rows: Record<string, unknown>[];
        try {
          rows = await db.queryJson(query);
        } catch (error) {
          const message = (error as Error).message;
          throw new KaivoError("KAIVO_SQL_FAILED", "config", `The query failed: ${message}`, {
            ...(/read-only mode/.test(message) ? { hint: "kaivo sql opens the warehouse read-only: Kaivo's syncs and builds are what write to it." } : {}),
            ...(/disabled (by|through) configuration/.test(message)
              ? { hint: "kaivo sql reads the warehouse and nothing else: no other file, no extension. To export rows, use --json and redirect it to a file." }
              : {}),
          });
        }
        if (json) io.out(`${JSON.stringify(rows)}\n`);
        else if (rows.length === 0) io.out("(no rows)\n");
        else io.out(renderTable(Object.keys(rows[0]!), rows.map((r) => Object.values(r).map((v) => (v === null ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v))))));
      } finally {
        await db.close();
      }
    });
}

function databaseFromConfig(io: CliIo, configFile: string): string {
  if (!existsSync(resolve(io.cwd, configFile))) return resolve(io.cwd, "kaivo.duckdb");
  const config = commandConfig(io, configFile, projectDeclarations(io, configFile));
  if (config.warehouse.type !== "duckdb") {
    throw new ConfigError(`${config.file} at /warehouse`, "is BigQuery, and `kaivo sql` queries a local DuckDB file", "Query BigQuery with its own tools (the console, `bq query`), or pass --database <file> for a DuckDB warehouse.");
  }
  return config.warehouse.path;
}
