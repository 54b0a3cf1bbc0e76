import { KaivoError } from "@kaivo/codegen";
import { starterConfig } from "@kaivo/engine";
import type { Command } from "commander";
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { CliIo } from "../io.js";

export function registerInitCommand(program: Command, io: CliIo): void {
  program
    .command("init")
    .description("Write a starter config file to fill in")
    .option("--config <file>", "where to write it", "kaivo.json")
    .option("--json", "what was written, as JSON")
    .action((flags: { config: string; json?: boolean }, command: Command) => {
      const path = resolve(io.cwd, flags.config);
      if (existsSync(path)) throw new KaivoError("KAIVO_INIT_EXISTS", "config", `${flags.config} already exists; not overwriting it.`, { hint: "Edit it, or pass --config <other file>." });
      writeFileSync(path, starterConfig());
      const next = flags.config === "kaivo.json" ? "npx kaivo check" : `npx kaivo check --config ${flags.config}`;
      if (flags.json || command.optsWithGlobals<{ json?: boolean }>().json) {
        io.out(`${JSON.stringify({ type: "init", config: path, fill: ["tenantId", "clientId", "userId"], next })}\n`);
        return;
      }
      io.out(`Wrote ${flags.config}. Fill in tenantId, clientId and userId (the user whose deleted groups and apps user_owned_deleted_items lists), export AZURE_CLIENT_SECRET, then run \`${next}\`.\n`);
    });
}
