import { invalid } from "../errors.js";
import type { ApiRequest } from "../http/api.js";

export interface Page {
  readonly start: number;
  readonly size: number;
}

/**
 * Paging parameters: pageToken (opaque to clients; here the row offset), startIndex, maxResults. The token is
 * "o<offset>" so that a stray number is not mistaken for one.
 */
export function pageOf(request: ApiRequest, defaultSize: number, maxResultsOverride?: number): Page {
  const token = request.query.get("pageToken");
  let start = 0;
  if (token !== null && token !== "") {
    const m = /^o(\d+)$/.exec(token);
    if (m === null) throw invalid(`Invalid page token: ${token}`);
    start = Number(m[1]);
  } else if (request.query.get("startIndex") !== null) {
    start = Number(request.query.get("startIndex"));
  }
  const max = maxResultsOverride ?? (request.query.get("maxResults") !== null ? Number(request.query.get("maxResults")) : undefined);
  const size = max !== undefined && Number.isFinite(max) && max > 0 ? Math.floor(max) : defaultSize;
  return { start, size };
}

export function nextPageToken(page: Page, total: number): string | undefined {
  const next = page.start + page.size;
  return next < total ? `o${next}` : undefined;
}

/** formatOptions.useInt64Timestamp from the query string (the Node client always sends true). */
export function int64Timestamps(request: ApiRequest): boolean {
  return request.query.get("formatOptions.useInt64Timestamp") === "true";
}
