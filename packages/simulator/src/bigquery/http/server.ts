import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BigQueryError, notFound } from "../errors.js";
import type { FaultKind } from "../faults/fault-control.js";
import type { EmulatorServices } from "../services.js";
import type { ApiRequest, ApiResponse } from "./api.js";
import type { LoggedRequest } from "./request-log.js";
import { matchRoute } from "./routes.js";

/**
 * Exactly this value: the client's reason-based retry (rateLimitExceeded) only works when the error response's
 * Content-Type is neither `application/json` nor `application/json; charset=utf-8` (bigquery.md §4.3).
 */
const CONTENT_TYPE = "application/json; charset=UTF-8";

export function createEmulatorServer(services: EmulatorServices, log: LoggedRequest[]): Server {
  return createServer((req, res) => {
    // handle() answers every error of the API itself; what is left is a client gone mid-request
    // (a killed run aborting an upload), which nobody is left to hear.
    handle(services, log, req, res).catch(() => res.destroy());
  });
}

async function handle(services: EmulatorServices, log: LoggedRequest[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const method = (req.method ?? "GET").toUpperCase();
  const body = await readBody(req);
  const match = matchRoute(method, url.pathname);
  let response: ApiResponse;
  let fault: FaultKind | undefined;
  try {
    if (match === undefined) throw notFound(`URL ${method} ${url.pathname}`);
    const project = match.params["project"];
    if (project !== undefined && project !== services.projectId) throw notFound(`Project ${project}`);
    const fired = services.faults.takeRequestFault([url.pathname, ...faultSubjects(body)]);
    if (fired !== undefined) {
      fault = fired.kind;
      throw fired.error;
    }
    const request: ApiRequest = { method, path: url.pathname, query: url.searchParams, params: match.params, headers: req.headers, body };
    response = await match.route.handle(services, request);
  } catch (error) {
    const bqError = error instanceof BigQueryError ? error : new BigQueryError("internalError", `Emulator error: ${error instanceof Error ? error.message : String(error)}`);
    response = { status: bqError.code, body: bqError.toBody() };
  }
  log.push({
    method,
    path: url.pathname,
    status: response.status,
    at,
    search: url.search,
    operation: match?.route.operation ?? "unknown",
    ...(response.log?.sql !== undefined ? { sql: response.log.sql } : {}),
    ...(response.log?.jobId !== undefined ? { jobId: response.log.jobId } : {}),
    ...(fault !== undefined ? { fault } : {}),
  });
  if (response.status === 204 || response.body === undefined) {
    res.writeHead(response.status);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  res.writeHead(response.status, { "Content-Type": CONTENT_TYPE, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** SQL (jobs.query / jobs.insert) and load destinations in a body, for fault `match` patterns. */
function faultSubjects(body: Buffer): string[] {
  if (body.length === 0 || body.length > 1_000_000) return [];
  const text = body.toString("utf8");
  const subjects: string[] = [];
  for (const m of text.matchAll(/"query"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
    try {
      subjects.push(JSON.parse(`"${m[1] ?? ""}"`) as string);
    } catch {
      // not a JSON string after all
    }
  }
  const destination = /"destinationTable"\s*:\s*\{[^}]*"datasetId"\s*:\s*"([^"]+)"[^}]*"tableId"\s*:\s*"([^"]+)"/.exec(text);
  if (destination !== null) subjects.push(`${destination[1] ?? ""}.${destination[2] ?? ""}`);
  return subjects;
}
