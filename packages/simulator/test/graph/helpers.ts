import { Agent, request } from "undici";
import { afterEach } from "vitest";
import { startGraphSimulator, type GraphSimulator, type GraphSimulatorOptions } from "../../src/graph/index.js";

export interface Fetched {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: () => Record<string, unknown>;
}

/** A started simulator plus a client that trusts its CA and holds a token. */
export interface TestClient {
  sim: GraphSimulator;
  token: string;
  get(pathOrUrl: string, headers?: Record<string, string>): Promise<Fetched>;
  post(pathOrUrl: string, body: string, headers?: Record<string, string>): Promise<Fetched>;
  /** Follows nextLinks; returns every page body. Fails on a non-200. */
  pages(pathOrUrl: string): Promise<Record<string, unknown>[]>;
  /** Follows nextLinks; returns all values and the final deltaLink (if any). */
  all(pathOrUrl: string): Promise<{ values: Record<string, unknown>[]; deltaLink: string | undefined; pages: number }>;
  requestToken(form: Record<string, string>, tenant?: string): Promise<Fetched>;
}

const open: { sim: GraphSimulator; agent: Agent }[] = [];

afterEach(async () => {
  while (open.length > 0) {
    const item = open.pop();
    if (item === undefined) break;
    await item.agent.close();
    await item.sim.close();
  }
});

export async function startClient(options: GraphSimulatorOptions = {}): Promise<TestClient> {
  const sim = await startGraphSimulator({ users: 40, throttling: false, ...options });
  const agent = new Agent({ connect: { ca: sim.caPem } });
  open.push({ sim, agent });
  const url = (p: string): string => (p.startsWith("https://") ? p : `${sim.graphBaseUrl}/${p.replace(/^\//, "")}`);
  const send = async (method: "GET" | "POST", target: string, body: string | undefined, headers: Record<string, string>): Promise<Fetched> => {
    const res = await request(target, { method, dispatcher: agent, headers, body: body ?? null });
    const text = await res.body.text();
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(", ") : v;
    return { status: res.statusCode, headers: flat, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  const requestToken = (form: Record<string, string>, tenant = sim.tenantId): Promise<Fetched> =>
    send("POST", `${sim.authorityHost}/${tenant}/oauth2/v2.0/token`, new URLSearchParams(form).toString(), {
      "content-type": "application/x-www-form-urlencoded",
    });
  const tokenResponse = await requestToken({
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
    scope: "https://graph.microsoft.com/.default",
    grant_type: "client_credentials",
  });
  const token = String(tokenResponse.json()["access_token"]);
  const client: TestClient = {
    sim,
    token,
    get: (p, headers = {}) => send("GET", url(p), undefined, { authorization: `Bearer ${client.token}`, ...headers }),
    post: (p, body, headers = {}) =>
      send("POST", url(p), body, { authorization: `Bearer ${client.token}`, "content-type": "application/json", ...headers }),
    pages: async (p) => {
      const out: Record<string, unknown>[] = [];
      let next: string | undefined = url(p);
      while (next !== undefined) {
        const res = await client.get(next);
        if (res.status !== 200) throw new Error(`GET ${next} -> ${res.status} ${res.text}`);
        const body = res.json();
        out.push(body);
        next = body["@odata.nextLink"] as string | undefined;
        if (out.length > 100_000) throw new Error("runaway paging");
      }
      return out;
    },
    all: async (p) => {
      const pages = await client.pages(p);
      const values = pages.flatMap((b) => b["value"] as Record<string, unknown>[]);
      return { values, deltaLink: pages.at(-1)?.["@odata.deltaLink"] as string | undefined, pages: pages.length };
    },
    requestToken,
  };
  return client;
}

export function ids(values: readonly Record<string, unknown>[]): string[] {
  return values.map((v) => String(v["id"]));
}
