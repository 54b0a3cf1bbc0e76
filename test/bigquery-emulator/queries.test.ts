import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixture, type EmulatorFixture } from "./client.js";

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startFixture({ defaultPageSize: 4 });
  await fx.bq.createDataset("q");
  await fx.bq.query(
    "CREATE TABLE q.events AS SELECT x AS n, CONCAT('id-', CAST(x AS STRING)) AS id, TIMESTAMP_ADD(TIMESTAMP '2024-01-01 00:00:00 UTC', INTERVAL x HOUR) AS ts " +
      "FROM UNNEST(GENERATE_ARRAY(1, 10)) AS x",
  );
});
afterAll(async () => {
  await fx?.emulator.close();
});

describe("queries", () => {
  it("pages getQueryResults with maxResults and pageToken", async () => {
    const [job] = await fx.bq.createQueryJob({ query: "SELECT n, id FROM q.events ORDER BY n" });
    const pages: number[][] = [];
    let options: Record<string, unknown> | null = { maxResults: 3, autoPaginate: false };
    while (options !== null) {
      const [rows, next] = (await job.getQueryResults(options)) as unknown as [{ n: number }[], Record<string, unknown> | null];
      pages.push(rows.map((r) => r.n));
      options = next;
    }
    expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]);
    const tokens = fx.emulator.requests.filter((r) => r.operation === "jobs.getQueryResults" && r.search.includes("pageToken=")).length;
    expect(tokens).toBe(3);
  });

  it("follows pageToken automatically in bigquery.query() (server default page size 4)", async () => {
    fx.emulator.clearRequests();
    const [rows] = await fx.bq.query("SELECT n FROM q.events ORDER BY n");
    expect(rows.map((r: { n: number }) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(fx.emulator.requests.map((r) => r.operation)).toEqual(["jobs.query", "jobs.getQueryResults", "jobs.getQueryResults"]);
  });

  it("binds named parameters and evaluates the translated functions", async () => {
    const [rows] = await fx.bq.query({
      query:
        "SELECT id, TIMESTAMP_SUB(ts, INTERVAL 1 DAY) AS day_before, IFNULL(NULL, @fallback) AS f, SAFE_CAST('x' AS INT64) AS bad, " +
        "ARRAY_LENGTH(@tags) AS n_tags, TO_JSON_STRING(STRUCT(n AS n, id AS id)) AS js, JSON_VALUE(PARSE_JSON('{\"a\":{\"b\":\"c\"}}'), '$.a.b') AS jv " +
        "FROM q.events WHERE n = @n AND @tag IN UNNEST(@tags)",
      params: { n: 2, fallback: "fb", tags: ["a", "b"], tag: "b" },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: "id-2", f: "fb", bad: null, n_tags: 2, jv: "c" });
    expect(JSON.parse(rows[0].js)).toEqual({ n: 2, id: "id-2" });
    expect(rows[0].day_before.value).toBe("2023-12-31T02:00:00.000Z");
  });

  it("supports QUALIFY, STRING_AGG, COALESCE, UNNEST with alias and CREATE OR REPLACE VIEW", async () => {
    await fx.bq.query("CREATE OR REPLACE VIEW q.latest AS SELECT * EXCEPT (ts) FROM q.events WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY MOD(n, 2) ORDER BY n DESC) = 1");
    const [rows] = await fx.bq.query("SELECT STRING_AGG(id, ',' ORDER BY n) AS ids, COALESCE(MAX(n), 0) AS top FROM q.latest");
    expect(rows).toEqual([{ ids: "id-9,id-10", top: 10 }]);
    const [tags] = await fx.bq.query("SELECT tag FROM UNNEST(['x', 'y']) AS tag ORDER BY tag");
    expect(tags).toEqual([{ tag: "x" }, { tag: "y" }]);
    const [view] = await fx.bq.dataset("q").table("latest").getMetadata();
    expect(view.type).toBe("VIEW");
  });

  it("names untranslatable constructs in an invalidQuery error", async () => {
    await expect(fx.bq.query("SELECT FORMAT('%d', 1)")).rejects.toMatchObject({
      code: 400,
      errors: [{ reason: "invalidQuery", message: expect.stringContaining("function FORMAT") }],
    });
    await expect(fx.bq.query("DECLARE x INT64 DEFAULT 1; SELECT x")).rejects.toMatchObject({
      errors: [{ reason: "invalidQuery", message: expect.stringContaining("DECLARE statement") }],
    });
    await expect(fx.bq.query("SELECT * FROM q.events FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01'")).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining("FOR SYSTEM_TIME AS OF") }],
    });
  });

  it("refuses a query longer than GoogleSQL's 1,024K characters", async () => {
    const padding = `-- ${"x".repeat(1024 * 1024)}\n`;
    await expect(fx.bq.query(`${padding}SELECT 1`)).rejects.toMatchObject({
      code: 400,
      errors: [{ reason: "invalidQuery", message: expect.stringContaining("The query is too large. The maximum standard SQL query length is 1024.00K characters") }],
    });
    expect((await fx.bq.query(`-- ${"x".repeat(1000)}\nSELECT 1 AS one`))[0]).toEqual([{ one: 1 }]);
  });

  it("reports a missing table as 404 notFound and bad SQL as invalidQuery", async () => {
    await expect(fx.bq.query("SELECT * FROM q.nope")).rejects.toMatchObject({ code: 404, errors: [{ reason: "notFound" }] });
    await expect(fx.bq.query("SELECT no_such_column FROM q.events")).rejects.toMatchObject({ code: 400, errors: [{ reason: "invalidQuery" }] });
    const [job] = await fx.bq.createQueryJob({ query: "SELECT * FROM q.nope" }).catch((e: unknown) => [e]);
    expect(job).toMatchObject({ errors: [{ reason: "notFound" }] });
  });

  it("answers a dry run with the estimate and runs nothing", async () => {
    const [job] = await fx.bq.createQueryJob({ query: "DELETE FROM q.events WHERE n > 0", dryRun: true });
    expect(Number(job.metadata.statistics.query.totalBytesProcessed)).toBeGreaterThan(0);
    expect((await fx.emulator.query("SELECT count(*) AS n FROM q.events"))[0]).toEqual({ n: 10 });
  });
});

describe("request log", () => {
  it("records every call with method, path, status and time, including insertAll", async () => {
    fx.emulator.clearRequests();
    const before = Date.now();
    await fx.bq.dataset("q").exists();
    await fx.bq.dataset("q").table("events").getMetadata();
    await fx.bq.dataset("q").table("missing").exists();
    expect(fx.emulator.requests.some((r) => r.operation === "tabledata.insertAll")).toBe(false);
    await fx.bq.dataset("q").table("events").insert([{ n: 99, id: "streamed", ts: new Date("2024-02-01T00:00:00Z") }]);
    expect(fx.emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /bigquery/v2/projects/kaivo-emulator/datasets/q 200",
      "GET /bigquery/v2/projects/kaivo-emulator/datasets/q/tables/events 200",
      "GET /bigquery/v2/projects/kaivo-emulator/datasets/q/tables/missing 404",
      "POST /bigquery/v2/projects/kaivo-emulator/datasets/q/tables/events/insertAll 200",
    ]);
    expect(fx.emulator.requests.every((r) => r.at >= before)).toBe(true);
    expect(fx.emulator.requests.filter((r) => r.operation === "tabledata.insertAll")).toHaveLength(1);
    expect(await fx.emulator.query("SELECT id FROM q.events WHERE n = 99")).toEqual([{ id: "streamed" }]);
  });
});
