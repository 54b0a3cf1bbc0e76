import { loadDeclarations, resolveProjectRoot } from "@kaivo/codegen";
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { configFromValues } from "../../src/config/index.js";
import { connectGraph } from "../../src/connect.js";
import { DuckDbDestination } from "../../src/destinations/duckdb/duckdb-destination.js";
import { runSync } from "../../src/sync/run-sync.js";
import { json, startTestServer, type TestServer } from "../graph/test-server.js";

/**
 * Rounds no simulator tenant produces. Graph may send one object more than once in a round (its pages are not a snapshot): a group can
 * gain a member on one page and be removed on a later one, or be removed and then come back.
 * The scripted server answers each Graph request with the next body, whatever its URL.
 */
const app = { tenantId: "00000000-0000-0000-0000-0000000000aa", clientId: "00000000-0000-0000-0000-0000000000bb", clientSecret: "s3cret-value" };
let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer(app);
  dir = mkdtempSync(join(tmpdir(), "kaivo-edges-"));
  writeFileSync(join(dir, "ca.pem"), server.caPem);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const group = (id: string, extra: Record<string, unknown> = {}) => ({ id, displayName: id, ...extra });
const member = (id: string, removed = false) => ({ "@odata.type": "#microsoft.graph.user", id, ...(removed ? { "@removed": { reason: "deleted" } } : {}) });

/** One run of `tables` in which Graph answers with `bodies` in turn; the summary, and `query`'s rows after it. */
async function run(tables: string[], bodies: unknown[], query: string) {
  const declarations = loadDeclarations(join(resolveProjectRoot(process.cwd()), "tables"));
  const config = configFromValues(
    {
      tenantId: app.tenantId,
      clientId: app.clientId,
      graph: { baseUrl: server.graphBaseUrl, loginUrl: server.loginBaseUrl, caFile: join(dir, "ca.pem") },
      tables: Object.fromEntries(tables.map((t) => [t, {}])),
      warehouse: { type: "duckdb", path: join(dir, "w.duckdb") },
    },
    dir,
    {},
    declarations,
  );
  for (const body of bodies) server.enqueue(({ res }) => json(res, 200, body));
  const graph = connectGraph(config, app.clientSecret);
  const destination = await DuckDbDestination.open({ path: config.warehouse.type === "duckdb" ? config.warehouse.path : "" });
  try {
    const summary = await runSync({ config, declarations, graph, destination });
    return { summary, rows: (await destination.handle.query(query)).map((r) => ({ ...r })) };
  } finally {
    await destination.close();
    await graph.close();
  }
}

/** One run of groups and group_members in which groups/delta answers with `pages` in turn (the last with a deltaLink); the edges after it. */
async function syncGroups(pages: Array<Array<Record<string, unknown>>>): Promise<Array<Record<string, unknown>>> {
  const bodies = pages.map((value, i) => ({
    value,
    ...(i === pages.length - 1 ? { "@odata.deltaLink": `${server.graphBaseUrl}/groups/delta?$deltatoken=d${i}` } : { "@odata.nextLink": `${server.graphBaseUrl}/groups/delta?$skiptoken=s${i}` }),
  }));
  const { summary, rows } = await run(["groups", "group_members"], bodies, "SELECT group_id, member_id, _kaivo_deleted_reason AS removed FROM group_members ORDER BY group_id, member_id");
  expect(summary.tables.map((t) => [t.table, t.status])).toEqual([["groups", "succeeded"], ["group_members", "succeeded"]]);
  return rows;
}

test("a group that gains a member and is removed later in the same round ends that edge too; one removed and back again keeps the edges sent after", async () => {
  expect(await syncGroups([[group("g1", { "members@delta": [member("old")] }), group("g2", { "members@delta": [member("kept")] })]])).toEqual([
    { group_id: "g1", member_id: "old", removed: null },
    { group_id: "g2", member_id: "kept", removed: null },
  ]);
  expect(
    await syncGroups([
      [group("g1", { "members@delta": [member("new")] }), { id: "g2", "@removed": { reason: "changed" } }],
      [{ id: "g1", "@removed": { reason: "deleted" } }, group("g2", { "members@delta": [member("back")] })],
    ]),
  ).toEqual([
    { group_id: "g1", member_id: "new", removed: "deleted" },
    { group_id: "g1", member_id: "old", removed: "deleted" },
    { group_id: "g2", member_id: "back", removed: null },
    { group_id: "g2", member_id: "kept", removed: "changed" },
  ]);
});

test("a page without a value array fails the table, naming the request; a full refresh keeps its rows rather than emptying the table", async () => {
  const query = "SELECT id FROM identityproviders ORDER BY id";
  const first = await run(["identityproviders"], [{ value: [{ id: "Google-OAUTH", displayName: "Google", type: "Google" }] }], query);
  expect(first.rows).toEqual([{ id: "Google-OAUTH" }]);
  const second = await run(["identityproviders"], [{ "@odata.context": "https://proxy.example/$metadata" }], query);
  expect(second.summary.tables[0]).toMatchObject({ status: "failed", error: { message: 'GET /identity/identityProviders answered without a "value" array (it has @odata.context), so identityproviders was left as it was' } });
  expect(second.rows).toEqual([{ id: "Google-OAUTH" }]);
});

/** Staged files this process still holds open (a failed table's, left to the garbage collector, which warns). */
function openStagedFiles(): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = readlinkSync(join("/proc/self/fd", fd));
      return target.includes(".ndjson") ? [target] : [];
    } catch {
      return []; // closed between the listing and the read
    }
  });
}

test("a table that fails after staging rows closes its staged file", async () => {
  const bodies = [
    { value: [group("g1", { "members@delta": [member("m1")] })], "@odata.nextLink": `${server.graphBaseUrl}/groups/delta?$skiptoken=s0` },
    { "@odata.context": "https://proxy.example/$metadata" },
  ];
  const { summary } = await run(["groups", "group_members"], bodies, "SELECT 1");
  expect(summary.tables[0]).toMatchObject({ table: "groups", status: "failed" });
  expect(openStagedFiles()).toEqual([]);
});
