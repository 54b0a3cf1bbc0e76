import type { AddressInfo } from "node:net";
import { createCertificate } from "./auth/certificate.js";
import { openIdConfiguration, type LoginConfig } from "./auth/login-endpoints.js";
import { TokenStore } from "./auth/token-store.js";
import { createControl } from "./control/control.js";
import { graphRoutes, routeTable } from "./endpoints/graph-routes.js";
import { FaultInjector } from "./faults/fault-injector.js";
import { PageTokenCodec } from "./http/page-token.js";
import { PrefetchCache } from "./http/prefetch-cache.js";
import { ResponseCache } from "./http/response-cache.js";
import { createSimulatorServer } from "./http/server.js";
import { deriveTenantShape } from "./model/tenant-shape.js";
import { Tenant } from "./model/tenant.js";
import { RequestRecorder } from "./observe/request-log.js";
import type { SimulatorRuntime } from "./runtime.js";
import { Throttler } from "./throttle/throttle-budgets.js";
import type { GraphSimulator, GraphSimulatorOptions } from "./types.js";
import { Kind, Rng } from "./util/prng.js";
import { DAY_MS } from "./util/time.js";

/** The read-only application permissions a Kaivo connection is granted by default (graph-api.md §0). */
export const DEFAULT_PERMISSIONS: readonly string[] = [
  "User.Read.All",
  "GroupMember.Read.All",
  "Group.Read.All",
  "Application.Read.All",
  "RoleManagement.Read.Directory",
  "AuditLog.Read.All",
  "Directory.Read.All",
  "IdentityProvider.Read.All",
  "Policy.Read.All",
];

/** Room for rendered pages (a 100k-user tenant as the engine reads it takes about 600 MB). */
const DEFAULT_RESPONSE_CACHE_MB = 1024;

/** Starts the Graph simulator on https://127.0.0.1:PORT (port 0 picks a free one). */
export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const now = options.now ?? (() => new Date());
  const seed = options.seed ?? 1;
  const shape = deriveTenantShape(seed, options.users ?? 100, now().getTime(), options.tenantId, options.userId);
  const ids = Rng.for(seed, Kind.tenant, 2);
  const clientId = options.clientId ?? ids.guid();
  const clientSecret = options.clientSecret ?? `sim~${ids.token(34)}`;
  const certificate = await createCertificate(options.stateDir);

  // The port is only known after listen(), but URLs are needed by the handlers: fill them in after.
  const urls = { authorityHost: "", graphBaseUrl: "" };
  const tokens = new TokenStore(now);
  const tenant = new Tenant(shape);
  const rt: SimulatorRuntime = {
    env: {
      tenant,
      codec: new PageTokenCodec(),
      get graphBaseUrl() {
        return urls.graphBaseUrl;
      },
      settings: {
        signInActivityLicensed: options.signInActivityLicensed ?? true,
        permissions: new Set(options.permissions ?? DEFAULT_PERMISSIONS),
        deltaTokenGeneration: 0,
        pageTokenGeneration: 0,
        deltaTokenLifetimeMs: (options.deltaTokenLifetimeDays ?? 7) * DAY_MS,
        expiredDeltaTokenStatus: options.expiredDeltaTokenStatus ?? 400,
        deltaPageSize: options.deltaPageSize ?? 200,
        deltaRefsPerPage: options.deltaMembersPerPage ?? 1000,
        deltaReplays: options.deltaReplays ?? false,
      },
      prefetch: new PrefetchCache(),
      now,
    },
    faults: new FaultInjector(Rng.for(seed, Kind.faults, 0)),
    throttler: new Throttler(shape.users, "", options.throttling),
    tokens,
    recorder: new RequestRecorder(),
    secret: { value: clientSecret, expired: false },
    latencyMs: options.latencyMs ?? 0,
    responses: new ResponseCache((options.responseCacheMb ?? DEFAULT_RESPONSE_CACHE_MB) * 1024 * 1024),
  };
  rt.faults.add(options.faults ?? []);
  const login: LoginConfig = {
    get authorityHost() {
      return urls.authorityHost;
    },
    tenantId: shape.tenantId,
    tenantDomain: shape.domain,
    clientId,
    secret: rt.secret,
    tokenLifetimeSeconds: () => options.tokenLifetimeSeconds ?? 3599,
    get graphRoots() {
      return ["https://graph.microsoft.com", urls.authorityHost];
    },
    now,
    tokens,
  };
  const control = createControl(rt);
  const server = createSimulatorServer({ rt, routes: routeTable(graphRoutes()), login, control, key: certificate.key, cert: certificate.cert });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  urls.authorityHost = `https://127.0.0.1:${port}`;
  urls.graphBaseUrl = `${urls.authorityHost}/v1.0`;
  rt.throttler = new Throttler(shape.users, `${clientId}/${shape.tenantId}`, options.throttling);

  let closed: Promise<void> | undefined;
  return {
    graphBaseUrl: urls.graphBaseUrl,
    authorityHost: urls.authorityHost,
    authorityUrl: `${urls.authorityHost}/${shape.tenantId}`,
    authorityMetadata: openIdConfiguration(login, shape.tenantId).body,
    controlUrl: `${urls.authorityHost}/_simulator`,
    port,
    tenantId: shape.tenantId,
    clientId,
    clientSecret,
    userId: shape.configuredUserId,
    caFile: certificate.caFile,
    caPem: certificate.caPem,
    control,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => certificate.dispose());
      return closed;
    },
  };
}
