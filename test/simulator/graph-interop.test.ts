import { ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from "@azure/msal-node";
import { Client, PageIterator, type Context, type Middleware, type PageCollection } from "@microsoft/microsoft-graph-client";
import { startGraphSimulator, type GraphSimulator, type GraphSimulatorOptions } from "@kaivo/simulator";
import { Agent, fetch as undiciFetch, request } from "undici";
import { afterEach, describe, expect, test } from "vitest";

// Interop with Microsoft's own clients: the real @azure/msal-node and @microsoft/microsoft-graph-client.

/** MSAL network client over undici, trusting the simulator's CA (toolchain-notes §5). */
class UndiciNetworkClient implements INetworkModule {
  constructor(private readonly dispatcher: Agent) {}
  private async send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const res = await request(url, { method, dispatcher: this.dispatcher, headers: options?.headers ?? {}, body: method === "POST" ? (options?.body ?? "") : null });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    return { status: res.statusCode, headers, body: (text ? JSON.parse(text) : {}) as T };
  }
  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options);
  }
  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("POST", url, options);
  }
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function start(options: GraphSimulatorOptions = {}): Promise<{ sim: GraphSimulator; agent: Agent }> {
  const sim = await startGraphSimulator({ users: 150, seed: 11, throttling: false, ...options });
  const agent = new Agent({ connect: { ca: sim.caPem } });
  cleanup.push(async () => {
    await agent.close();
    await sim.close();
  });
  return { sim, agent };
}

function msalApp(sim: GraphSimulator, agent: Agent, secret = sim.clientSecret): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId: sim.clientId, clientSecret: secret, authority: sim.authorityUrl, knownAuthorities: [new URL(sim.authorityHost).host] },
    system: { networkClient: new UndiciNetworkClient(agent) },
  });
}

/** The Graph SDK with a last middleware that sends through undici (trusting the CA) with an MSAL token. */
function graphClient(sim: GraphSimulator, agent: Agent, token: () => Promise<string>): Client {
  const transport: Middleware = {
    execute: async (context: Context) => {
      const req = context.request instanceof Request ? context.request : new Request(String(context.request), context.options as RequestInit);
      const headers = new Headers(req.headers);
      headers.set("authorization", `Bearer ${await token()}`);
      const body = req.method === "GET" ? undefined : await req.text();
      const res = await undiciFetch(req.url, { method: req.method, headers: Object.fromEntries(headers), body: body ?? null, dispatcher: agent });
      context.response = res as unknown as Response;
    },
  };
  return Client.initWithMiddleware({ middleware: transport, baseUrl: sim.authorityHost, defaultVersion: "v1.0", customHosts: new Set([new URL(sim.authorityHost).hostname]) });
}

describe("MSAL (@azure/msal-node) against the simulator", () => {
  test("acquires a token with knownAuthorities (discovery served), then from cache", async () => {
    const { sim, agent } = await start();
    const app = msalApp(sim, agent);
    const first = await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
    expect(first?.accessToken).toBeTruthy();
    expect(first?.fromCache).toBe(false);
    const second = await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
    expect(second?.fromCache).toBe(true);
    expect(second?.accessToken).toBe(first?.accessToken);
    const endpoints = sim.control.requestLog().map((e) => e.endpoint);
    expect(endpoints).toEqual(["openid-configuration", "token"]);
    // The token works on Graph.
    const res = await request(`${sim.graphBaseUrl}/users?$top=1`, { dispatcher: agent, headers: { authorization: `Bearer ${first!.accessToken}` } });
    expect(res.statusCode).toBe(200);
    await res.body.text();
  });

  test("accepts the simulator's own .default scope and zero-discovery authorityMetadata", async () => {
    const { sim, agent } = await start();
    const app = new ConfidentialClientApplication({
      auth: { clientId: sim.clientId, clientSecret: sim.clientSecret, authority: sim.authorityUrl, knownAuthorities: [new URL(sim.authorityHost).host], authorityMetadata: sim.authorityMetadata },
      system: { networkClient: new UndiciNetworkClient(agent) },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [`${sim.authorityHost}/.default`] });
    expect(result?.accessToken).toBeTruthy();
    expect(sim.control.requestLog().map((e) => e.endpoint)).toEqual(["token"]);
  });

  test("a wrong secret yields ServerError invalid_client with AADSTS7000215", async () => {
    const { sim, agent } = await start();
    const app = msalApp(sim, agent, "wrong-secret");
    const error = await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ServerError", errorCode: "invalid_client" });
    expect(String((error as Error).message)).toContain("AADSTS7000215");
  });

  test("an expired token yields 401 on Graph; skipCache re-acquires a working one", async () => {
    let now = Date.now();
    const { sim, agent } = await start({ tokenLifetimeSeconds: 600, now: () => new Date(now) });
    const app = msalApp(sim, agent);
    const token = (await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] }))!.accessToken;
    now += 601_000;
    const res = await request(`${sim.graphBaseUrl}/groups`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBeDefined();
    expect((await res.body.json()) as unknown).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
    const fresh = (await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"], skipCache: true }))!.accessToken;
    expect(fresh).not.toBe(token);
    const again = await request(`${sim.graphBaseUrl}/groups`, { dispatcher: agent, headers: { authorization: `Bearer ${fresh}` } });
    expect(again.statusCode).toBe(200);
    await again.body.text();
  });
});

describe("Graph JS SDK (@microsoft/microsoft-graph-client) PageIterator", () => {
  async function sdk(options: GraphSimulatorOptions = {}) {
    const { sim, agent } = await start(options);
    const app = msalApp(sim, agent);
    const token = async () => (await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] }))!.accessToken;
    return { sim, client: graphClient(sim, agent, token) };
  }

  async function iterate(client: Client, path: string): Promise<{ items: Record<string, unknown>[]; deltaLink: string | undefined }> {
    const items: Record<string, unknown>[] = [];
    const first = (await client.api(path).get()) as PageCollection;
    const iterator = new PageIterator(client, first, (item: Record<string, unknown>) => {
      items.push(item);
      return true;
    });
    await iterator.iterate();
    expect(iterator.isComplete()).toBe(true);
    return { items, deltaLink: iterator.getDeltaLink() };
  }

  test.each([
    ["/users?$top=40&$select=id,displayName,userPrincipalName", "users"],
    ["/groups?$top=3", "groups"],
    ["/applications?$top=2", "applications"],
    ["/servicePrincipals?$top=2", "servicePrincipals"],
    ["/directoryRoles", "directoryRoles"],
    ["/directoryRoleTemplates", "directoryRoleTemplates"],
    ["/auditLogs/directoryAudits?$top=60", "directoryAudits"],
    ["/identity/identityProviders", "identityProviders"],
  ] as const)("pages through %s and gets the same objects as the control iterator", async (path, collection) => {
    const { sim, client } = await sdk();
    const { items } = await iterate(client, path);
    const expected = [...sim.control.objects(collection)].map((o) => String(o["id"]));
    expect(items.map((i) => String(i["id"])).sort()).toEqual(expected.sort());
  });

  test("follows a groups delta round to its deltaLink, then a change round", async () => {
    const { sim, client } = await sdk({ deltaPageSize: 3 });
    const items: Record<string, unknown>[] = [];
    let page = (await client.api("/groups/delta?$select=displayName,members").get()) as Record<string, unknown>;
    let pages = 1;
    for (;;) {
      items.push(...(page["value"] as Record<string, unknown>[]));
      const next = page["@odata.nextLink"] as string | undefined;
      if (next === undefined) break;
      page = (await client.api(next).get()) as Record<string, unknown>;
      pages++;
    }
    expect(pages).toBeGreaterThan(2);
    const deltaLink = String(page["@odata.deltaLink"]);
    expect(deltaLink.startsWith(`${sim.graphBaseUrl}/groups/delta?$deltatoken=`)).toBe(true);
    const expected = [...sim.control.objects("groups")].map((g) => String(g["id"]));
    expect([...new Set(items.map((i) => String(i["id"])))].sort()).toEqual(expected.sort());
    const members = new Set(items.flatMap((i) => ((i["members@delta"] as { id: string }[] | undefined) ?? []).map((m) => `${String(i["id"])}/${m.id}`)));
    expect([...members].sort()).toEqual([...sim.control.groupMemberships()].map((e) => `${e.parentId}/${e.memberId}`).sort());

    const renamed = expected[1]!;
    sim.control.updateGroup(renamed, { displayName: "Renommé" });
    const changes = (await client.api(deltaLink).get()) as Record<string, unknown>;
    expect(changes["value"]).toEqual([{ id: renamed, displayName: "Renommé" }]);
    expect(changes["@odata.deltaLink"]).toBeDefined();
  });

  test("PageIterator over users delta ends with the deltaLink", async () => {
    const { sim, client } = await sdk({ deltaPageSize: 25 });
    const { items, deltaLink } = await iterate(client, "/users/delta?$select=displayName");
    expect(deltaLink?.startsWith(`${sim.graphBaseUrl}/users/delta?$deltatoken=`)).toBe(true);
    expect(items.map((i) => String(i["id"])).sort()).toEqual([...sim.control.objects("users")].map((u) => String(u["id"])).sort());
  });
});
