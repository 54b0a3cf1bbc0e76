import { KaivoError } from "@kaivo/codegen";
import { InvalidArgumentError, type Command } from "commander";
import type { CliIo } from "../io.js";

export function registerSimulateCommand(program: Command, io: CliIo): void {
  program
    .command("simulate")
    .description("Start the Microsoft Graph simulator (HTTPS on 127.0.0.1) with a seeded tenant; runs until interrupted")
    .option("--users <n>", "users in the tenant", parseCount, 5000)
    .option("--seed <s>", "seed of the generated tenant", parseCount, 1)
    .option("--port <p>", "port (0 picks a free one)", parsePort, 0)
    .option("--latency-ms <ms>", "latency added to every Graph response", parseCount, 0)
    .option("--faults <spec>", "fault rates, e.g. 429=0.1,503=0.02,reset=0.01,truncate=0.01")
    .option("--no-throttling", "do not enforce Graph's request budgets (benchmarks)")
    .option("--response-cache-mb <n>", "memory for rendered pages, replayed while the tenant is unchanged (0: off)", parseCount, 1024)
    .option("--bigquery [file]", "start the BigQuery emulator too (its data in memory, or in a DuckDB file kept across restarts); the ready line gains the warehouse section for kaivo.json")
    .action(async (flags: { users: number; seed: number; port: number; latencyMs: number; faults?: string; throttling: boolean; responseCacheMb: number; bigquery?: string | true }) => {
      // Loaded lazily: the simulator is a stand-in for Graph, never part of a production run.
      const { startGraphSimulator, startBigQueryEmulator, parseFaultSpec } = await import("@kaivo/simulator");
      let faults;
      try {
        faults = flags.faults ? parseFaultSpec(flags.faults) : [];
      } catch (error) {
        throw new KaivoError("KAIVO_USAGE", "config", `--faults: ${(error as Error).message}`);
      }
      let sim: Awaited<ReturnType<typeof startGraphSimulator>>;
      try {
        sim = await startGraphSimulator({ users: flags.users, seed: flags.seed, port: flags.port, latencyMs: flags.latencyMs, faults, throttling: flags.throttling, responseCacheMb: flags.responseCacheMb });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
        throw new KaivoError("KAIVO_USAGE", "config", `--port: ${flags.port} is in use on 127.0.0.1`, { hint: "Pick another port, or --port 0 for a free one." });
      }
      let emulator: Awaited<ReturnType<typeof startBigQueryEmulator>> | undefined;
      try {
        emulator = flags.bigquery ? await startBigQueryEmulator(typeof flags.bigquery === "string" ? { databaseFile: flags.bigquery } : {}) : undefined;
      } catch (error) {
        // The Graph simulator would otherwise keep the process running with no ready line.
        await sim.close();
        throw new KaivoError("KAIVO_USAGE", "config", `--bigquery: the emulator cannot start on ${flags.bigquery === true ? "an in-memory database" : flags.bigquery}: ${(error as Error).message.split("\n")[0]}`, {
          hint: "Give the path of a DuckDB file (or of one to create) in a folder that exists, or no file for an in-memory emulator.",
        });
      }
      io.out(
        `${JSON.stringify({
          event: "ready",
          graphBaseUrl: sim.graphBaseUrl,
          // kaivo.json's graph.loginUrl is the host alone; the authority adds the tenant.
          loginUrl: sim.authorityHost,
          authorityUrl: sim.authorityUrl,
          tenantId: sim.tenantId,
          clientId: sim.clientId,
          clientSecret: sim.clientSecret,
          userId: sim.userId,
          caFile: sim.caFile,
          ...(emulator ? { warehouse: { type: "bigquery", project: emulator.projectId, dataset: "entraid", location: emulator.location, apiEndpoint: emulator.apiEndpoint } } : {}),
        })}\n`,
      );
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await sim.close();
      await emulator?.close();
    });
}

/** A TCP port, 0 for a free one. */
function parsePort(value: string): number {
  const n = parseCount(value);
  if (n > 65_535) throw new InvalidArgumentError("Expected a port from 0 to 65535.");
  return n;
}

/** A whole-number option's value; commander's error names the option (`option '--users <n>' argument '-5' is invalid`). */
export function parseCount(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError("Expected a whole number.");
  return n;
}
