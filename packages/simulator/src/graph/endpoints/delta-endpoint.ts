import type { EntityType } from "../data/entity-types.js";
import type { DeltaCollection, FoldedChange } from "../model/change-log.js";
import { slotObject, type DirectoryObjectRef, type GraphObject } from "../model/graph-object.js";
import type { RelationName } from "../model/tenant.js";
import { Errors, GraphError } from "../http/graph-error.js";
import type { PrefetchedPage } from "../http/prefetch-cache.js";
import { jsonResponse, type Endpoint, type EndpointEnv, type GraphRequest, type GraphResponse } from "../http/endpoint.js";
import { contextUrl, pageBody, parseSelect, project, rejectOptions, type Selection } from "../http/odata-query.js";

export interface DeltaEndpointConfig {
  collection: DeltaCollection;
  entity: EntityType;
  permissions: readonly (readonly string[])[];
  /**
   * Relations reported as <name>@delta: when $select names them, and without a $select those in
   * the default response (members, as group-delta documents it; owners only when selected).
   */
  relations: Partial<Record<"members" | "owners", { store: RelationName; inDefaultResponse: boolean }>>;
  /** Properties that cannot be requested from delta (signInActivity is list-only). */
  unsupported?: readonly string[];
}

/** Fields every delta token carries. */
interface DeltaBase {
  c: DeltaCollection;
  sel: Selection | null;
  ids: string[] | null;
  iat: number;
  gen: number;
}
/** `after`: the relation and id of the last ref a big object's previous page carried; null at an object's start. */
type InitialPage = DeltaBase & { k: "di"; seq0: number; pos: number; after: string | null };
type ChangePage = DeltaBase & { k: "dc"; from: number; to: number; off: number };
type DeltaLink = DeltaBase & { k: "dl"; seq: number };
type DeltaToken = InitialPage | ChangePage | DeltaLink;

/** GET /{collection}/delta: initial rounds, change rounds, $deltatoken=latest, expiry. */
export function deltaEndpoint(config: DeltaEndpointConfig): Endpoint {
  return {
    key: `${config.collection}/delta`,
    method: "GET",
    permissions: config.permissions,
    throttle: "identity",
    baseCost: 1,
    handle: (req, env) => handleDelta(config, req, env),
  };
}

function handleDelta(config: DeltaEndpointConfig, req: GraphRequest, env: EndpointEnv): GraphResponse {
  const deltatoken = req.options.get("$deltatoken");
  const skiptoken = req.options.get("$skiptoken");
  const raw = skiptoken ?? (deltatoken !== undefined && deltatoken !== "" && deltatoken !== "latest" ? deltatoken : undefined);
  if (raw !== undefined) {
    const token = readToken(config, raw, req, env);
    if (token.k === "di") return env.prefetch.take(raw, env.tenant.log.seq) ?? initialPage(config, token, env, true).response;
    if (token.k === "dc") return changePage(config, token, env);
    const to = env.tenant.log.seq;
    return changePage(config, { ...token, k: "dc", from: token.seq, to, off: 0 }, env);
  }
  rejectOptions(req.options, ["$expand", "$orderby", "$search", "$count"]);
  const selection = parseSelect(req.options.get("$select"), config.entity, true);
  for (const name of config.unsupported ?? []) {
    if (selection?.properties.includes(name)) throw Errors.unsupportedQuery();
  }
  const ids = parseIdFilter(req.options.get("$filter"));
  const base: DeltaBase = { c: config.collection, sel: selection ?? null, ids, iat: env.now().getTime(), gen: env.settings.deltaTokenGeneration };
  if (deltatoken === "latest") {
    return deltaPage(config, env, base.sel ?? undefined, [], { "@odata.deltaLink": deltaLinkUrl(config, env, { ...base, k: "dl", seq: env.tenant.log.seq }) });
  }
  return initialPage(config, { ...base, k: "di", seq0: env.tenant.log.seq, pos: 0, after: null }, env, true).response;
}

function readToken(config: DeltaEndpointConfig, raw: string, req: GraphRequest, env: EndpointEnv): DeltaToken {
  const token = env.codec.decode(raw) as DeltaToken | undefined;
  if (token === undefined || token.c !== config.collection || !["di", "dc", "dl"].includes(token.k)) {
    throw Errors.syncStateNotFound();
  }
  const expired =
    req.forceDeltaExpired ||
    token.gen < env.settings.deltaTokenGeneration ||
    env.now().getTime() - token.iat > env.settings.deltaTokenLifetimeMs;
  if (expired) {
    if (env.settings.expiredDeltaTokenStatus === 410) {
      // §5.5 "synchronization reset": 410 Gone with a fresh initial URL in Location.
      const select = token.sel ? `$select=${["id", ...token.sel.properties, ...token.sel.relations].join(",")}&` : "";
      throw new GraphError(410, "resyncRequired", "The delta token is no longer valid. Resynchronize from the Location header.", {
        location: `${env.graphBaseUrl}/${config.collection}/delta?${select}$deltatoken=`,
      });
    }
    throw Errors.syncStateNotFound();
  }
  return token;
}

/** `$filter=id eq '…' or id eq '…'` is the only filter delta accepts (§5.4). */
function parseIdFilter(filter: string | undefined): string[] | null {
  if (filter === undefined) return null;
  const ids: string[] = [];
  for (const clause of filter.split(/\s+or\s+/i)) {
    const m = /^\s*id\s+eq\s+'([^']+)'\s*$/i.exec(clause);
    if (!m || m[1] === undefined) throw Errors.unsupportedQuery();
    ids.push(m[1]);
  }
  if (ids.length > 50) throw Errors.unsupportedQuery("Too many ids in the filter (max 50).");
  return ids;
}

function trackedRelations(config: DeltaEndpointConfig, selection: Selection | undefined): ("members" | "owners")[] {
  const out: ("members" | "owners")[] = [];
  for (const name of ["members", "owners"] as const) {
    const rel = config.relations[name];
    if (rel === undefined) continue;
    if (selection === undefined ? rel.inDefaultResponse : selection.relations.includes(name)) out.push(name);
  }
  return out;
}

/** An object's serialised form with its `<relation>@delta` lists appended, in the order of `refs`. */
function withRefs(item: string, refs: readonly [string, DirectoryObjectRef][]): string {
  const lists = new Map<string, GraphObject[]>();
  for (const [rel, ref] of refs) {
    let list = lists.get(rel);
    if (list === undefined) lists.set(rel, (list = []));
    list.push(refJson(ref, false));
  }
  let tail = "";
  for (const [rel, list] of lists) tail += `,${JSON.stringify(`${rel}@delta`)}:${JSON.stringify(list)}`;
  return `${item.slice(0, -1)}${tail}}`;
}

function refKey(relation: string, ref: DirectoryObjectRef): string {
  return `${relation}/${ref.id}`;
}

function refJson(ref: DirectoryObjectRef, removed: boolean): GraphObject {
  return removed ? { "@odata.type": ref.type, id: ref.id, "@removed": { reason: "deleted" } } : { "@odata.type": ref.type, id: ref.id };
}

/** One page of an initial round; with `prefetch`, the next page is rendered in the background. */
function initialPage(config: DeltaEndpointConfig, token: InitialPage, env: EndpointEnv, prefetch: boolean): PrefetchedPage {
  const store = env.tenant.store(config.collection);
  const selection = token.sel ?? undefined;
  const relations = trackedRelations(config, selection);
  const idFilter = token.ids === null ? undefined : new Set(token.ids);
  const items: string[] = [];
  let refsLeft = env.settings.deltaRefsPerPage;
  let pos = token.pos;
  let after = token.after;
  const count = store.slotCount;
  while (pos < count && items.length < env.settings.deltaPageSize) {
    const slot = pos;
    const id = store.idAt(slot);
    if (id === undefined || (idFilter !== undefined && !idFilter.has(id))) {
      pos += 1;
      after = null;
      continue;
    }
    const item = JSON.stringify(project(slotObject(store.at(slot), config.collection, slot), selection, config.entity));
    const refs: [string, DirectoryObjectRef][] = [];
    for (const rel of relations) {
      const storeName = config.relations[rel]?.store;
      if (storeName !== undefined) for (const ref of env.tenant.relation(storeName).list(id)) refs.push([rel, ref]);
    }
    // After the ref the previous page ended with, found by key: an offset would skip a member once
    // one already sent left the list. When that ref itself left, the object's refs start over (sent again, harmlessly).
    const start = after === null ? 0 : refs.findIndex(([rel, ref]) => refKey(rel, ref) === after) + 1;
    const slice = refs.slice(start, start + Math.max(1, refsLeft));
    items.push(slice.length === 0 ? item : withRefs(item, slice));
    refsLeft -= slice.length;
    if (start + slice.length < refs.length) {
      // A big group continues on the next page (the same object repeats with the next slice).
      const [rel, ref] = slice.at(-1)!;
      after = refKey(rel, ref);
      break;
    }
    pos += 1;
    after = null;
    if (refsLeft <= 0) break;
  }
  while (pos < count && after === null && !store.live(pos)) pos += 1;
  if (pos < count) {
    const next: InitialPage = { ...token, pos, after };
    const encoded = env.codec.encode(next);
    const prefetchNext = (): void => env.prefetch.schedule(encoded, () => env.tenant.log.seq, () => initialPage(config, next, env, false));
    if (prefetch) prefetchNext();
    const response = deltaPage(config, env, selection, items, { "@odata.nextLink": `${env.graphBaseUrl}/${config.collection}/delta?$skiptoken=${encoded}` });
    return { response, served: prefetchNext };
  }
  const link: DeltaLink = { c: token.c, sel: token.sel, ids: token.ids, iat: env.now().getTime(), gen: env.settings.deltaTokenGeneration, k: "dl", seq: token.seq0 };
  return { response: deltaPage(config, env, selection, items, { "@odata.deltaLink": deltaLinkUrl(config, env, link) }) };
}

function changePage(config: DeltaEndpointConfig, token: ChangePage, env: EndpointEnv): GraphResponse {
  const selection = token.sel ?? undefined;
  const folded = env.tenant.log.fold(config.collection, token.from, token.to, { replays: env.settings.deltaReplays });
  const idFilter = token.ids === null ? undefined : new Set(token.ids);
  const items: string[] = [];
  let off = token.off;
  while (off < folded.length && items.length < env.settings.deltaPageSize) {
    const change = folded[off];
    off += 1;
    if (change === undefined || (idFilter !== undefined && !idFilter.has(change.id))) continue;
    const item = changeItem(config, change, selection, env);
    if (item !== undefined) items.push(JSON.stringify(item));
  }
  if (off < folded.length) {
    const next: ChangePage = { ...token, off };
    return deltaPage(config, env, selection, items, { "@odata.nextLink": `${env.graphBaseUrl}/${config.collection}/delta?$skiptoken=${env.codec.encode(next)}` });
  }
  const link: DeltaLink = { c: token.c, sel: token.sel, ids: token.ids, iat: env.now().getTime(), gen: env.settings.deltaTokenGeneration, k: "dl", seq: token.to };
  return deltaPage(config, env, selection, items, { "@odata.deltaLink": deltaLinkUrl(config, env, link) });
}

/** One object's entry in a change round, or undefined when nothing tracked changed. */
function changeItem(config: DeltaEndpointConfig, change: FoldedChange, selection: Selection | undefined, env: EndpointEnv): GraphObject | undefined {
  if (change.removed !== undefined) return { id: change.id, "@removed": { reason: change.removed } };
  const store = env.tenant.store(config.collection);
  const obj = store.get(change.id);
  if (obj === undefined) return undefined;
  const relations = trackedRelations(config, selection);
  if (change.created) {
    // Whole, with its current members; a restored object also with those that left it in this
    // round, since the client still holds them from before it was deleted.
    const item = project(obj, selection, config.entity);
    for (const rel of relations) {
      const storeName = config.relations[rel]?.store;
      const refs = storeName === undefined ? [] : env.tenant.relation(storeName).list(change.id);
      const current = new Set(refs.map((r) => r.id));
      const left = [...(change.links.get(rel)?.values() ?? [])].filter((l) => !l.added && !current.has(l.ref.id));
      const entries = [...refs.map((r) => refJson(r, false)), ...left.map((l) => refJson(l.ref, true))];
      if (entries.length > 0) item[`${rel}@delta`] = entries;
    }
    return item;
  }
  // Updated: id plus only the changed (tracked) properties, current values, null when cleared.
  const item: GraphObject = {};
  const type = obj["@odata.type"];
  if (type !== undefined) item["@odata.type"] = type;
  item["id"] = change.id;
  let any = false;
  for (const key of change.keys) {
    if (selection !== undefined && !selection.properties.includes(key)) continue;
    item[key] = obj[key] ?? null;
    any = true;
  }
  for (const rel of relations) {
    const links = change.links.get(rel);
    if (links === undefined || links.size === 0) continue;
    item[`${rel}@delta`] = [...links.values()].map((l) => refJson(l.ref, !l.added));
    any = true;
  }
  return any ? item : undefined;
}

function deltaLinkUrl(config: DeltaEndpointConfig, env: EndpointEnv, link: DeltaLink): string {
  return `${env.graphBaseUrl}/${config.collection}/delta?$deltatoken=${env.codec.encode(link)}`;
}

function deltaPage(
  config: DeltaEndpointConfig,
  env: EndpointEnv,
  selection: Selection | undefined,
  items: readonly string[],
  links: Record<string, string>,
): GraphResponse {
  return jsonResponse(pageBody(contextUrl(env.graphBaseUrl, config.collection, selection), items, links));
}
