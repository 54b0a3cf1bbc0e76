import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { Dispatcher } from "undici";
import { AuthenticationError, KAIVO_GRAPH_AUTH_FAILED } from "../../src/graph/errors.js";
import { createHttpAgent } from "../../src/graph/http-agent.js";
import { TokenProvider } from "../../src/graph/token-provider.js";
import { startTestServer, type TestServer } from "./test-server.js";

const tenantId = "11111111-2222-3333-4444-555555555555";
const clientId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const clientSecret = "right~secret.value";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ tenantId, clientId, clientSecret });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
  vi.restoreAllMocks();
});

/** An agent trusting the test CA that records the origin of every request it dispatches. */
function recordingAgent(origins: string[]): { dispatcher: Dispatcher; close: () => Promise<void> } {
  const agent = createHttpAgent({ caPem: server.caPem });
  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    origins.push(String(opts.origin));
    return dispatch(opts, handler);
  });
  return { dispatcher, close: () => agent.close() };
}

function provider(dispatcher: Dispatcher, secret = clientSecret): TokenProvider {
  return new TokenProvider({
    tenantId, clientId, clientSecret: secret,
    loginBaseUrl: server.loginBaseUrl, graphBaseUrl: server.graphBaseUrl, dispatcher,
  });
}

describe("TokenProvider", () => {
  test("the real MSAL gets a token through the local authority and talks to nothing but 127.0.0.1", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const origins: string[] = [];
    const { dispatcher, close } = recordingAgent(origins);
    try {
      const tokens = provider(dispatcher);
      expect(tokens.scope).toBe(`${server.origin}/.default`);
      await expect(tokens.getToken()).resolves.toBe("token-1");
      // Cached: no second token request.
      await expect(tokens.getToken()).resolves.toBe("token-1");
      expect(server.tokenRequests()).toHaveLength(1);

      const post = server.tokenRequests()[0]!;
      expect(post.url.startsWith(`/${tenantId}/oauth2/v2.0/token`)).toBe(true);
      const form = new URLSearchParams(post.body);
      expect(form.get("grant_type")).toBe("client_credentials");
      expect(form.get("scope")).toBe(`${server.origin}/.default`);

      expect(origins.length).toBeGreaterThan(0);
      expect(new Set(origins)).toEqual(new Set([server.origin]));
      expect(fetchSpy).not.toHaveBeenCalled();
      // Only the openid-configuration and the token POST reached the server.
      expect(server.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual([
        `GET /${tenantId}/v2.0/.well-known/openid-configuration`,
        `POST /${tenantId}/oauth2/v2.0/token`,
      ]);
    } finally {
      await close();
    }
  });

  test("a token is reused until 5 minutes before it expires, then renewed", async () => {
    const local = await startTestServer({ tenantId, clientId, clientSecret, tokens: ["t-a", "t-b"] });
    try {
      const tokens = new TokenProvider({
        tenantId, clientId, clientSecret,
        loginBaseUrl: local.loginBaseUrl, graphBaseUrl: local.graphBaseUrl,
        dispatcher: createHttpAgent({ caPem: local.caPem }),
      });
      const issuedAt = Date.now();
      await expect(tokens.getToken()).resolves.toBe("t-a");
      // The server's tokens last 3599 s: renewal is due 3299 s after issue.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(issuedAt + 3_290_000);
      await expect(tokens.getToken()).resolves.toBe("t-a");
      expect(local.tokenRequests()).toHaveLength(1);
      vi.setSystemTime(issuedAt + 3_310_000);
      await expect(tokens.getToken()).resolves.toBe("t-b");
      expect(local.tokenRequests()).toHaveLength(2);
    } finally {
      vi.useRealTimers();
      await local.close();
    }
  });

  test("forceRefresh fetches a new token, once for concurrent callers that saw the same rejected token", async () => {
    const { dispatcher, close } = recordingAgent([]);
    try {
      const local = await startTestServer({ tenantId, clientId, clientSecret, tokens: ["t-a", "t-b", "t-c"] });
      try {
        const tokens = new TokenProvider({
          tenantId, clientId, clientSecret,
          loginBaseUrl: local.loginBaseUrl, graphBaseUrl: local.graphBaseUrl,
          dispatcher: createHttpAgent({ caPem: local.caPem }),
        });
        const [a1, a2] = await Promise.all([tokens.getToken(), tokens.getToken()]);
        expect([a1, a2]).toEqual(["t-a", "t-a"]);
        expect(local.tokenRequests()).toHaveLength(1);

        const refreshed = await Promise.all([
          tokens.getToken({ forceRefresh: true, rejectedToken: "t-a" }),
          tokens.getToken({ forceRefresh: true, rejectedToken: "t-a" }),
        ]);
        expect(refreshed).toEqual(["t-b", "t-b"]);
        // A late caller holding the old token gets the new one without another request.
        await expect(tokens.getToken({ forceRefresh: true, rejectedToken: "t-a" })).resolves.toBe("t-b");
        expect(local.tokenRequests()).toHaveLength(2);
      } finally {
        await local.close();
      }
    } finally {
      await close();
    }
  });

  test("a wrong secret gives an AuthenticationError naming the app and AADSTS code, without the secret", async () => {
    const wrongSecret = "WRONG-secret~canary-42";
    const { dispatcher, close } = recordingAgent([]);
    try {
      const error = await provider(dispatcher, wrongSecret).getToken().then(
        () => { throw new Error("expected a failure"); },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AuthenticationError);
      const auth = error as AuthenticationError;
      expect(auth.code).toBe(KAIVO_GRAPH_AUTH_FAILED);
      expect(auth.category).toBe("config");
      expect(auth.exitCode).toBe(2);
      expect(auth.aadstsCode).toBe("7000215");
      expect(auth.oauthError).toBe("invalid_client");
      expect(auth.retryable).toBe(false);
      expect(auth.message).toBe(
        `The client secret for app ${clientId} was rejected by tenant ${tenantId} (AADSTS7000215). Check AZURE_CLIENT_SECRET.`,
      );
      for (const text of [auth.message, auth.hint ?? "", String(auth.cause), JSON.stringify(auth), auth.stack ?? ""]) {
        expect(text).not.toContain(wrongSecret);
        expect(text).not.toContain(clientSecret);
      }
    } finally {
      await close();
    }
  });
});
