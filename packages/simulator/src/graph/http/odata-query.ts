import { isExtensionProperty, type EntityType } from "../data/entity-types.js";
import type { GraphObject } from "../model/graph-object.js";
import { Errors, GraphError } from "./graph-error.js";

/** Query options keyed by lower-cased name ("$top", "$select", …), values decoded. */
export type QueryOptions = Map<string, string>;

export function readQueryOptions(url: URL): QueryOptions {
  const out: QueryOptions = new Map();
  for (const [key, value] of url.searchParams) out.set(key.toLowerCase(), value);
  return out;
}

/** $top within [1, max]; over the maximum is an error, as on directory collections. */
export function parseTop(value: string | undefined, defaultTop: number, max: number): number {
  if (value === undefined) return defaultTop;
  if (!/^-?\d+$/.test(value.trim())) throw Errors.badRequest(`Invalid value '${value}' for query option '$top'.`);
  const n = Number(value);
  if (n < 1 || n > max) throw Errors.pageSize(value.trim(), max);
  return n;
}

export interface Selection {
  /** Structural properties in request order, without id (always returned). */
  properties: string[];
  /** Navigation properties selected on delta ("members", "owners", "manager"). */
  relations: string[];
}

export function parseSelect(value: string | undefined, entity: EntityType, allowRelations: boolean): Selection | undefined {
  if (value === undefined) return undefined;
  const properties: string[] = [];
  const relations: string[] = [];
  for (const raw of value.split(",")) {
    const name = raw.trim();
    if (name.length === 0) continue;
    if (entity.singleOnly.has(name)) throw Errors.notImplemented();
    if (allowRelations && entity.deltaRelations.has(name)) {
      if (!relations.includes(name)) relations.push(name);
      continue;
    }
    if (!entity.properties.has(name) && !isExtensionProperty(name)) throw Errors.unknownProperty(name, entity.name);
    if (name !== "id" && !properties.includes(name)) properties.push(name);
  }
  return { properties, relations };
}

/** Projects an object: selected properties plus id (nulls for unset), or the type's default set. */
export function project(obj: GraphObject, selection: Selection | undefined, entity: EntityType): GraphObject {
  const out: GraphObject = {};
  const type = obj["@odata.type"];
  if (type !== undefined) out["@odata.type"] = type;
  if (selection === undefined) {
    if (entity.defaultProperties === undefined) {
      for (const key of Object.keys(obj)) if (key !== "@odata.type") out[key] = obj[key];
      return out;
    }
    for (const key of entity.defaultProperties) out[key] = obj[key] ?? null;
    return out;
  }
  out["id"] = obj["id"];
  for (const key of selection.properties) out[key] = obj[key] ?? null;
  return out;
}

/** Options a collection does not support answer 400, as Graph does for unsupported queries. */
export function rejectOptions(options: QueryOptions, names: readonly string[]): void {
  for (const name of names) {
    if (options.has(name)) throw new GraphError(400, "Request_UnsupportedQuery", "Unsupported Query.");
  }
}

export function contextUrl(graphBaseUrl: string, entitySet: string, selection: Selection | undefined): string {
  if (selection === undefined) return `${graphBaseUrl}/$metadata#${entitySet}`;
  const names = ["id", ...selection.properties, ...selection.relations];
  return `${graphBaseUrl}/$metadata#${entitySet}(${names.join(",")})`;
}

const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]}");

/** A page body with Graph's key order: context, next/delta link, then value (items already serialised). */
export function pageBody(context: string, items: readonly string[], links: Record<string, string | number>): Buffer {
  let head = `{"@odata.context":${JSON.stringify(context)}`;
  for (const [key, value] of Object.entries(links)) head += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  const parts: Buffer[] = [Buffer.from(`${head},"value":[`, "utf8")];
  items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(Buffer.from(item, "utf8"));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
