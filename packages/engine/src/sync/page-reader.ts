import { KaivoError } from "@kaivo/codegen";
import type { GraphClient } from "../graph/index.js";
import type { FirstRequest, RequestCost } from "../plan/first-request.js";

/** One Graph response page, reduced to what the runner needs. */
export interface GraphPage {
  records: Array<Record<string, unknown>>;
  nextLink: string | undefined;
  deltaLink: string | undefined;
}

export type PageStart = { first: FirstRequest } | { link: string };

/**
 * Walks a collection from its first request (or a stored link) through every @odata.nextLink.
 * When `signal` aborts, a request still waiting for the budget or a retry rejects with its reason.
 * The next page is requested as soon as the current one has arrived, so fetching overlaps with
 * processing (one page ahead; memory stays at two pages).
 */
export async function* readPages(graph: GraphClient, table: string, cost: RequestCost, start: PageStart, singleton: boolean, signal?: AbortSignal): AsyncGenerator<GraphPage> {
  const fetchPage = async (request: PageStart): Promise<GraphPage> => {
    const response = await graph.request<Record<string, unknown>>({
      ...cost,
      table,
      ...(signal ? { signal } : {}),
      ...("link" in request
        ? { method: "GET" as const, url: request.link }
        : { method: request.first.method, url: request.first.path, query: request.first.query, ...(request.first.body ? { body: request.first.body } : {}) }),
    });
    const body = response.body ?? {};
    if (singleton) {
      const { ["@odata.context"]: _context, ...record } = body;
      return { records: [record], nextLink: undefined, deltaLink: undefined };
    }
    const value = body.value;
    // Read as an empty page, such an answer would end a round with nothing: a full refresh would empty its table.
    if (!Array.isArray(value)) throw new UnexpectedPageError(table, "link" in request ? new URL(request.link).pathname : request.first.path, body);
    return {
      records: value as Array<Record<string, unknown>>,
      nextLink: typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : undefined,
      deltaLink: typeof body["@odata.deltaLink"] === "string" ? body["@odata.deltaLink"] : undefined,
    };
  };

  let pending: Promise<GraphPage> | undefined = fetchPage(start);
  try {
    while (pending) {
      const page: GraphPage = await pending;
      pending = page.nextLink ? fetchPage({ link: page.nextLink }) : undefined;
      // If the consumer stops early, the prefetched request must not become an unhandled rejection.
      pending?.catch(() => undefined);
      // The request is handed to the HTTP worker only after a few promise turns (token, budget); the
      // consumer may then hold the thread for a while, so let the request leave first.
      if (pending) await new Promise((resolve) => setImmediate(resolve));
      yield page;
    }
  } finally {
    pending?.catch(() => undefined);
  }
}

/** Graph answered a collection request with something that is not a page (no `value` array). */
export class UnexpectedPageError extends KaivoError {
  constructor(table: string, path: string, body: Record<string, unknown>) {
    const keys = Object.keys(body);
    super(
      "KAIVO_GRAPH_UNEXPECTED_PAGE",
      "upstream",
      `GET ${path} answered without a "value" array (${keys.length > 0 ? `it has ${keys.slice(0, 5).join(", ")}` : "an empty object"}), so ${table} was left as it was`,
      { hint: "Check that graph.baseUrl points at Microsoft Graph (for example https://graph.microsoft.com/v1.0), not a proxy or another API." },
    );
  }
}
