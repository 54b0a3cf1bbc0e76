import { KaivoError } from "@kaivo/codegen";
import { trimTrailingSlash } from "./cloud.js";
import { KAIVO_GRAPH_FOREIGN_LINK } from "./errors.js";

/** Where to send one request: an origin and the exact request-target path. */
export interface RequestTarget {
  origin: string;
  /** Path plus query, sent on the request line exactly as held here. */
  path: string;
  /** Path relative to the Graph version root, without query, for messages (e.g. `/users/delta`). */
  displayPath: string;
}

/**
 * Encodes one query component the way Graph's own links look: percent-encoding where needed,
 * but `$`, `,`, `:`, `/`, `@`, `'`, `(` and `)` stay readable (all legal in a query per RFC 3986),
 * and spaces become %20, never `+`.
 */
export function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(/%24|%2C|%3A|%2F|%40/gi, (m) => decodeURIComponent(m));
}

/** `$select=id,displayName&$top=999`, in the order given. */
export function encodeQuery(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeQueryComponent(key)}=${encodeQueryComponent(value)}`)
    .join("&");
}

/** scheme://authority of an absolute URL string, or undefined for a relative one. */
function splitAbsolute(url: string): { origin: string; rest: string } | undefined {
  const match = /^(https?:\/\/[^/?#]+)(.*)$/i.exec(url);
  if (!match) return undefined;
  const rest = match[2] ?? "";
  return { origin: match[1]!, rest: rest === "" ? "/" : rest.startsWith("/") ? rest : `/${rest}` };
}

/** The origin as URL normalises it (case, default port), or "" for one that does not parse. */
function parsedOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return "";
  }
}

/**
 * Whether `url` is an absolute link to another host than the Graph of `graphBaseUrl`: one
 * resolveRequestTarget refuses to follow (a stored link from before graph.baseUrl changed).
 */
export function isForeignLink(graphBaseUrl: string, url: string): boolean {
  const absolute = splitAbsolute(url);
  return absolute !== undefined && parsedOrigin(absolute.origin) !== new URL(trimTrailingSlash(graphBaseUrl)).origin;
}

function displayPathOf(path: string, basePath: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? "/";
  const relative = basePath !== "" && bare.toLowerCase().startsWith(basePath.toLowerCase())
    ? bare.slice(basePath.length)
    : bare;
  return relative === "" ? "/" : relative;
}

/**
 * Resolves a request URL against the Graph base URL.
 * - An absolute URL (an `@odata.nextLink` or `@odata.deltaLink`) is used byte for byte: it is split
 *   into origin and path as text, never parsed and rebuilt (graph-api.md §3). Its origin must be the
 *   Graph origin, so the bearer token is never sent anywhere else.
 * - A path (`/users`) is appended to the base URL, with `query` encoded as Graph expects.
 */
export function resolveRequestTarget(
  graphBaseUrl: string,
  url: string,
  query: Readonly<Record<string, string>> | undefined,
): RequestTarget {
  const base = new URL(trimTrailingSlash(graphBaseUrl));
  const basePath = trimTrailingSlash(base.pathname);
  const absolute = splitAbsolute(url);
  if (absolute) {
    const origin = parsedOrigin(absolute.origin);
    if (origin !== base.origin) {
      throw new KaivoError(
        KAIVO_GRAPH_FOREIGN_LINK,
        "upstream",
        `Refusing to follow a link to ${origin || "an unreadable host"}: it is not the Graph host ${base.origin}.`,
        { hint: "Check the Graph base URL; Graph links always point back to the host that served them." },
      );
    }
    if (query && Object.keys(query).length > 0) {
      throw new KaivoError(
        "KAIVO_GRAPH_INTERNAL",
        "internal",
        "Query options cannot be added to a nextLink or deltaLink; Graph bakes them into the link.",
      );
    }
    return { origin: base.origin, path: absolute.rest, displayPath: displayPathOf(absolute.rest, basePath) };
  }
  const relative = url.startsWith("/") ? url : `/${url}`;
  let path = `${basePath}${relative}`;
  const encoded = query ? encodeQuery(query) : "";
  if (encoded !== "") path += `${path.includes("?") ? "&" : "?"}${encoded}`;
  return { origin: base.origin, path, displayPath: displayPathOf(path, basePath) };
}
