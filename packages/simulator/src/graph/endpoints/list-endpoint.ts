import type { EntityType } from "../data/entity-types.js";
import type { GraphObject } from "../model/graph-object.js";
import { Errors } from "../http/graph-error.js";
import type { PrefetchedPage } from "../http/prefetch-cache.js";
import { jsonResponse, type Endpoint, type EndpointEnv, type GraphRequest, type GraphResponse } from "../http/endpoint.js";
import { contextUrl, pageBody, parseSelect, parseTop, project, rejectOptions, type Selection } from "../http/odata-query.js";

/** Slot-addressed objects: what a list endpoint pages over. */
export interface ListSource {
  slotCount(env: EndpointEnv): number;
  live(env: EndpointEnv, slot: number): boolean;
  at(env: EndpointEnv, slot: number): GraphObject | undefined;
}

export interface ListEndpointConfig {
  key: string;
  entitySet: string;
  entity: EntityType;
  permissions: readonly (readonly string[])[];
  baseCost: number;
  defaultTop: number;
  maxTop: number;
  /** false: one page with everything, no nextLink ($top ignored), e.g. directoryRoles. */
  pageable: boolean;
  source: ListSource;
  /** Extra checks on the selection (e.g. signInActivity) returning a tighter max $top. */
  checkSelection?: (selection: Selection | undefined, env: EndpointEnv) => number | undefined;
  throttle?: Endpoint["throttle"];
  throttleOf?: Endpoint["throttleOf"];
}

interface ListToken {
  k: "list";
  e: string;
  /** The page-token generation it was minted in. */
  gen: number;
  sel: Selection | null;
  top: number;
  pos: number;
}

/** GET on a directory collection: $top, $select, opaque $skiptoken nextLinks. */
export function listEndpoint(config: ListEndpointConfig): Endpoint {
  return {
    key: config.key,
    method: "GET",
    permissions: config.permissions,
    throttle: config.throttle ?? "identity",
    ...(config.throttleOf ? { throttleOf: config.throttleOf } : {}),
    baseCost: config.baseCost,
    handle: (req, env) => handleList(config, req, env),
  };
}

function handleList(config: ListEndpointConfig, req: GraphRequest, env: EndpointEnv): GraphResponse {
  const skiptoken = req.options.get("$skiptoken");
  if (skiptoken !== undefined) {
    const token = env.codec.decode(skiptoken) as ListToken | undefined;
    if (token === undefined || token.k !== "list" || token.e !== config.key || token.gen !== env.settings.pageTokenGeneration) throw Errors.expiredPageToken();
    config.checkSelection?.(token.sel ?? undefined, env);
    return env.prefetch.take(skiptoken, env.tenant.log.seq) ?? renderPage(config, token, env, undefined, true).response;
  }
  rejectOptions(req.options, ["$filter", "$orderby", "$search", "$expand", "$skip"]);
  const selection = parseSelect(req.options.get("$select"), config.entity, false);
  const max = config.checkSelection?.(selection, env) ?? config.maxTop;
  const top = config.pageable ? parseTop(req.options.get("$top"), config.defaultTop, max) : Number.MAX_SAFE_INTEGER;
  let count: number | undefined;
  if (req.options.get("$count") === "true") {
    // §3/§4: $count needs ConsistencyLevel: eventual, and @odata.count is on the first page only.
    if (String(req.headers["consistencylevel"] ?? "").toLowerCase() !== "eventual") {
      throw Errors.badRequest("$count is not currently supported.");
    }
    count = 0;
    const slots = config.source.slotCount(env);
    for (let slot = 0; slot < slots; slot++) if (config.source.live(env, slot)) count++;
  }
  return renderPage(config, { k: "list", e: config.key, gen: env.settings.pageTokenGeneration, sel: selection ?? null, top, pos: 0 }, env, count, true).response;
}

/** Renders one page; with `prefetch`, the next page is rendered in the background right away. */
function renderPage(config: ListEndpointConfig, token: ListToken, env: EndpointEnv, count: number | undefined, prefetch: boolean): PrefetchedPage {
  const selection = token.sel ?? undefined;
  const slots = config.source.slotCount(env);
  const items: string[] = [];
  let pos = token.pos;
  while (pos < slots && items.length < token.top) {
    const obj = config.source.at(env, pos);
    pos += 1;
    if (obj !== undefined) items.push(JSON.stringify(project(obj, selection, config.entity)));
  }
  while (pos < slots && !config.source.live(env, pos)) pos += 1;
  const links: Record<string, string | number> = {};
  if (count !== undefined) links["@odata.count"] = count;
  let prefetchNext: (() => void) | undefined;
  if (pos < slots) {
    const nextToken: ListToken = { ...token, pos };
    const next = env.codec.encode(nextToken);
    const visible = [selection ? `$select=${["id", ...selection.properties].join(",")}` : "", `$top=${token.top}`]
      .filter((s) => s.length > 0)
      .join("&");
    links["@odata.nextLink"] = `${env.graphBaseUrl}/${config.key}?${visible}&$skiptoken=${next}`;
    prefetchNext = () => env.prefetch.schedule(next, () => env.tenant.log.seq, () => renderPage(config, nextToken, env, undefined, false));
    if (prefetch) prefetchNext();
  }
  const response = jsonResponse(pageBody(contextUrl(env.graphBaseUrl, config.entitySet, selection), items, links));
  return prefetchNext === undefined ? { response } : { response, served: prefetchNext };
}
