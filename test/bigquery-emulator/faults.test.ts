import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type EmulatorFixture } from "./client.js";

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startFixture();
  await fx.bq.createDataset("f");
  await fx.bq.query("CREATE TABLE f.t (id STRING, n INT64)");
  await fx.bq.query("INSERT INTO f.t (id, n) VALUES ('a', 1)");
});
beforeEach(() => {
  fx.emulator.faults.clear();
  fx.emulator.clearRequests();
});
afterAll(async () => {
  await fx?.emulator.close();
});

// The client backs off ~2^n s between retries (bigquery.md §4.3), so these tests take a few seconds each.
describe("fault injection", () => {
  it("rateLimitExceeded (403) is retried by the client and the query then succeeds", async () => {
    const fault = fx.emulator.faults.inject({ kind: "rateLimitExceeded", match: /SELECT n FROM f\.t/ });
    const [rows] = await fx.bq.query("SELECT n FROM f.t");
    expect(rows).toEqual([{ n: 1 }]);
    expect(fault.fired).toBe(1);
    const calls = fx.emulator.requests.filter((r) => r.operation === "jobs.query");
    expect(calls.map((c) => [c.status, c.fault])).toEqual([[403, "rateLimitExceeded"], [200, undefined]]);
  });

  it("backendError (503) twice is retried and survives; the job runs once", async () => {
    fx.emulator.faults.inject({ kind: "backendError", match: /\/queries$/, count: 2 });
    const [rows] = await fx.bq.query("SELECT id FROM f.t");
    expect(rows).toEqual([{ id: "a" }]);
    expect(fx.emulator.requests.filter((r) => r.operation === "jobs.query").map((r) => r.status)).toEqual([503, 503, 200]);
    expect(fx.emulator.jobs().filter((j) => j.sql === "SELECT id FROM f.t")).toHaveLength(1);
  });

  it("a retried jobs.query with the same requestId returns the first job instead of running the DML twice", async () => {
    // The client re-sends the body (same requestId) when an answer is lost; emulate that with two raw calls.
    const body = JSON.stringify({ query: "INSERT INTO f.t (id, n) VALUES ('dup', 5)", useLegacySql: false, requestId: "req-1" });
    const url = `${fx.emulator.apiEndpoint}/bigquery/v2/projects/${fx.emulator.projectId}/queries`;
    const first = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
    const second = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(first.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(((await first.json()) as { jobReference: { jobId: string } }).jobReference.jobId).toBe(((await second.json()) as { jobReference: { jobId: string } }).jobReference.jobId);
    expect(await fx.emulator.query("SELECT count(*) AS n FROM f.t WHERE id = 'dup'")).toEqual([{ n: 1 }]);
  });

  it("concurrentUpdate fails a DML job with 400 (not retried by the client) and writes nothing", async () => {
    fx.emulator.faults.inject({ kind: "concurrentUpdate", match: /UPDATE f\.t/ });
    await expect(fx.bq.query("UPDATE f.t SET n = 2 WHERE id = 'a'")).rejects.toMatchObject({
      code: 400,
      errors: [{ reason: "invalidQuery", message: expect.stringContaining("Could not serialize access") }],
    });
    expect(await fx.emulator.query("SELECT n FROM f.t WHERE id = 'a'")).toEqual([{ n: 1 }]);
    expect(fx.emulator.requests.filter((r) => r.operation === "jobs.query")).toHaveLength(1);
  });

  it("jobFailure on a query job shows in jobs.get as status.errorResult with HTTP 200", async () => {
    fx.emulator.faults.inject({ kind: "jobFailure", match: /n > 0/ });
    const [job] = await fx.bq.createQueryJob({ query: "SELECT * FROM f.t WHERE n > 0" }).catch((e: unknown) => [e as never]);
    const failed = fx.emulator.jobs().find((j) => j.sql === "SELECT * FROM f.t WHERE n > 0");
    expect(failed?.error?.reason).toBe("jobBackendError");
    const get = await fetch(`${fx.emulator.apiEndpoint}/bigquery/v2/projects/${fx.emulator.projectId}/jobs/${failed?.id ?? ""}`);
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ status: { state: "DONE", errorResult: { reason: "jobBackendError" }, errors: [{ reason: "jobBackendError" }] } });
    expect(job).toBeDefined();
  });

  it("a rate-based fault fires only for the chosen share of matching requests", async () => {
    const fault = fx.emulator.faults.inject({ kind: "internalError", match: /datasets\/f$/, rate: 0 });
    await fx.bq.dataset("f").getMetadata();
    expect(fault.fired).toBe(0);
    fault.cancel();
    expect(fx.emulator.faults.active).toHaveLength(0);
  });
});
