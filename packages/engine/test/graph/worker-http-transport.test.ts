import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { AttemptOutcome, HttpAttempt } from "../../src/graph/http-transport.js";
import { isRetryableNetworkCode } from "../../src/graph/retry-policy.js";
import { HTTP_WORKER_EXITED, WorkerHttpTransport } from "../../src/graph/worker-http-transport.js";
import { siblingWorkerScript } from "../../src/worker-script.js";
import { json, startTestServer, type TestServer } from "./test-server.js";

let server: TestServer;
let dir: string;
const transports: WorkerHttpTransport[] = [];

beforeAll(async () => {
  server = await startTestServer({ tenantId: "t", clientId: "c", clientSecret: "s" });
  dir = mkdtempSync(join(tmpdir(), "kaivo-http-worker-"));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  server.reset();
});

function transport(script?: URL): WorkerHttpTransport {
  const t = new WorkerHttpTransport({ caPem: server.caPem }, script);
  transports.push(t);
  return t;
}

function get(path: string): HttpAttempt {
  return { origin: new URL(server.graphBaseUrl).origin, path: `/v1.0${path}`, method: "GET", headers: { accept: "application/json" }, body: null, timeoutMs: 5_000 };
}

function bodyText(outcome: AttemptOutcome): string {
  if (outcome.kind !== "response") throw new Error(`expected a response, got ${outcome.code}`);
  return Buffer.concat(outcome.chunks).toString("utf8");
}

describe("WorkerHttpTransport", () => {
  test("hands back the status, headers and the exact body bytes, small or large", async () => {
    const t = transport();
    const small = { value: [{ id: "1", displayName: "Zoë" }] };
    const large = { value: Array.from({ length: 5_000 }, (_, i) => ({ id: String(i), displayName: `Ünïcode user ${i}` })) };
    server.enqueue(({ res }) => json(res, 200, small, { "request-id": "rid-small" }), ({ res }) => json(res, 200, large));

    const first = await t.send(get("/users"));
    expect(first).toMatchObject({ kind: "response", status: 200, headers: { "request-id": "rid-small", "content-type": "application/json" } });
    expect(JSON.parse(bodyText(first))).toEqual(small);
    const second = await t.send(get("/users?page=2"));
    expect(JSON.parse(bodyText(second))).toEqual(large);
    expect(server.graphRequests().map((r) => r.url)).toEqual(["/v1.0/users", "/v1.0/users?page=2"]);
  });

  test("a network failure comes back as an outcome with the error's code", async () => {
    const t = transport();
    server.enqueue(({ res }) => res.socket?.destroy());
    const outcome = await t.send(get("/users"));
    expect(outcome).toMatchObject({ kind: "network", code: "UND_ERR_SOCKET" });
    expect((outcome as { error: Error }).error).toBeInstanceOf(Error);
  });

  test("an attempt under way when the worker dies fails as a retryable network outcome; the next one gets a new worker", async () => {
    // The real worker (a static import: it is listening before the first message), plus a listener
    // that ends the thread when it sees the path /v1.0/crash.
    const script = join(dir, "crashing-worker.mjs");
    const realWorker = siblingWorkerScript(new URL("../../src/graph/worker-http-transport.ts", import.meta.url).href, "http-worker");
    writeFileSync(
      script,
      `import { parentPort } from "node:worker_threads";
import ${JSON.stringify(realWorker.href)};
parentPort.on("message", (m) => { if (m !== "close" && m.attempt?.path === "/v1.0/crash") process.exit(7); });
`,
    );
    const t = transport(pathToFileURL(script));
    server.enqueue(({ res }) => json(res, 200, { value: [] }));

    const crashed = await t.send(get("/crash"));
    expect(crashed).toMatchObject({ kind: "network", code: HTTP_WORKER_EXITED });
    expect(isRetryableNetworkCode(HTTP_WORKER_EXITED)).toBe(true);
    expect(JSON.parse(bodyText(await t.send(get("/users"))))).toEqual({ value: [] });
  });
});
