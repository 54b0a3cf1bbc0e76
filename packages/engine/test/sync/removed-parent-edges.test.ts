import { loadDeclarations, resolveProjectRoot } from "@kaivo/codegen";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { configFromValues } from "../../src/config/index.js";
import { connectGraph } from "../../src/connect.js";
import { DuckDbDestination } from "../../src/destinations/duckdb/duckdb-destination.js";
import { runSync } from "../../src/sync/run-sync.js";
import { json, startTestServer, type TestServer } from "../graph/test-server.js";

/**
 * Graph may send one object more than once in a round (its pages are not a snapshot): a group can
 * gain a member on one page and be removed on a later one, or be removed and then come back.
 * The scripted server answers each groups/delta request with the next page, whatever its URL.
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

/** One run of groups and group_members in which Graph answers with `pages` in turn (the last with a deltaLink). */
async function sync(pages: Array<Array<Record<string, unknown>>>): Promise<Array<Record<string, unknown>>> {
  const declarations = loadDeclarations(join(resolveProjectRoot(process.cwd()), "tables"));
  const config = configFromValues(
    {
      tenantId: app.tenantId,
      clientId: app.clientId,
      graph: { baseUrl: server.graphBaseUrl, loginUrl: server.loginBaseUrl, caFile: join(dir, "ca.pem") },
      tables: { groups: {}, group_members: {} },
      warehouse: { type: "duckdb", path: join(dir, "w.duckdb") },
    },
    dir,
    {},
    declarations,
  );
  pages.forEach((value, i) => {
    const link = i === pages.length - 1 ? { "@odata.deltaLink": `${server.graphBaseUrl}/groups/delta?$deltatoken=d${i}` } : { "@odata.nextLink": `${server.graphBaseUrl}/groups/delta?$skiptoken=s${i}` };
    server.enqueue(({ res }) => json(res, 200, { value, ...link }));
  });
  const graph = connectGraph(config, app.clientSecret);
  const destination = await DuckDbDestination.open({ path: config.warehouse.type === "duckdb" ? config.warehouse.path : "" });
  try {
    const summary = await runSync({ config, declarations, graph, destination });
    expect(summary.tables.map((t) => [t.table, t.status])).toEqual([["groups", "succeeded"], ["group_members", "succeeded"]]);
    return (await destination.handle.query("SELECT group_id, member_id, _kaivo_deleted_reason AS removed FROM group_members ORDER BY group_id, member_id")).map((r) => ({ ...r }));
  } finally {
    await destination.close();
    await graph.close();
  }
}

test("a group that gains a member and is removed later in the same round ends that edge too; one removed and back again keeps the edges sent after", async () => {
  expect(await sync([[group("g1", { "members@delta": [member("old")] }), group("g2", { "members@delta": [member("kept")] })]])).toEqual([
    { group_id: "g1", member_id: "old", removed: null },
    { group_id: "g2", member_id: "kept", removed: null },
  ]);
  expect(
    await sync([
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
