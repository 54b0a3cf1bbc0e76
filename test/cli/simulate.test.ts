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
}

/** The standalone simulator, as a developer points a config at it. */
describe("kaivo simulate", () => {
  const dir = mkdtempSync(join(tmpdir(), "kaivo-simulate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("prints a ready line a config is written from; stops on SIGINT and removes its CA", async () => {
    const sim = spawnKaivo(["simulate", "--users", "20", "--seed", "4"], { cwd: dir, env: {} });
    const exited = new Promise<number | null>((resolve) => sim.once("exit", (code) => resolve(code)));
    let out = "";
    const ready = await new Promise<ReadyLine>((resolve, reject) => {
      sim.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!) as ReadyLine);
      });
      sim.once("exit", () => reject(new Error(`the simulator exited before it was ready: ${out}`)));
    });
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
});
