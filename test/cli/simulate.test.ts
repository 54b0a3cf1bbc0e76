import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { kaivo, spawnKaivo } from "../support/kaivo.js";

interface ReadyLine {
  event: "ready";
  graphBaseUrl: string;
  loginUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  userId: string;
  caFile: string;
  /** With --bigquery: kaivo.json's warehouse section for the emulator. */
  warehouse?: Record<string, unknown>;
}

/** The standalone simulator, as a developer points a config at it. */
describe("kaivo simulate", () => {
  const dir = mkdtempSync(join(tmpdir(), "kaivo-simulate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts `kaivo simulate` with `args`; its ready line, and its exit code once it has stopped. */
  async function simulate(args: string[]) {
    const sim = spawnKaivo(["simulate", ...args], { cwd: dir, env: {} });
    const exited = new Promise<number | null>((resolve) => sim.once("exit", (code) => resolve(code)));
    let out = "";
    const ready = await new Promise<ReadyLine>((resolve, reject) => {
      sim.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!) as ReadyLine);
      });
      sim.once("exit", () => reject(new Error(`the simulator exited before it was ready: ${out}`)));
    });
    return { sim, ready, exited };
  }

  test("with --bigquery, the ready line carries the emulator's warehouse section: a run syncs into it", async () => {
    const { sim, ready, exited } = await simulate(["--users", "10", "--seed", "5", "--bigquery"]);
    try {
      expect(ready.warehouse).toMatchObject({ type: "bigquery", dataset: "entraid", apiEndpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
      const { graphBaseUrl: baseUrl, loginUrl, caFile, tenantId, clientId, warehouse } = ready;
      writeFileSync(join(dir, "kaivo.json"), JSON.stringify({ tenantId, clientId, graph: { baseUrl, loginUrl, caFile }, tables: { directoryroletemplates: {} }, warehouse }));
      const run = await kaivo(["run"], { cwd: dir, env: { AZURE_CLIENT_SECRET: ready.clientSecret } });
      expect(run.code, run.out + run.err).toBe(0);
      const state = await kaivo(["state", "show", "--json"], { cwd: dir, env: {} });
      expect(Object.keys(JSON.parse(state.out) as object)).toStrictEqual(["directoryroletemplates"]);
    } finally {
      sim.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });

  test("prints a ready line a config is written from; stops on SIGINT and removes its CA", async () => {
    const { sim, ready, exited } = await simulate(["--users", "20", "--seed", "4"]);
    try {
      expect(ready.graphBaseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
      expect(ready.loginUrl).toBe(new URL(ready.graphBaseUrl).origin);
      const { graphBaseUrl: baseUrl, loginUrl, caFile, tenantId, clientId, userId } = ready;
      writeFileSync(join(dir, "kaivo.json"), JSON.stringify({ tenantId, clientId, userId, graph: { baseUrl, loginUrl, caFile } }));
      const check = await kaivo(["check"], { cwd: dir, env: { AZURE_CLIENT_SECRET: ready.clientSecret } });
      expect(check.code, check.out + check.err).toBe(0);
    } finally {
      sim.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(existsSync(dirname(ready.caFile))).toBe(false);
  });

  test("a port in use, or an emulator file it cannot open, is a usage error that leaves nothing running", async () => {
    const { sim, ready, exited } = await simulate(["--users", "5"]);
    try {
      const port = new URL(ready.graphBaseUrl).port;
      const taken = await kaivo(["simulate", "--users", "5", "--port", port], { cwd: dir });
      expect(taken.err).toBe(`error: --port: ${port} is in use on 127.0.0.1\nhint: Pick another port, or --port 0 for a free one.\n`);
      expect(taken.code).toBe(2);
    } finally {
      sim.kill("SIGINT");
      await exited;
    }
    // Spawned: a Graph simulator left running would keep the process alive, and the test would time out.
    const bad = spawnKaivo(["simulate", "--users", "5", "--bigquery", join(dir, "missing", "bq.duckdb")], { cwd: dir, env: {} });
    let err = "";
    bad.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    expect(await new Promise((resolve) => bad.once("exit", resolve))).toBe(2);
    expect(err).toMatch(/^error: --bigquery: the emulator cannot start on \S+\/missing\/bq\.duckdb: IO Error: Cannot open file/);
  });
});
