import type { IncomingHttpHeaders } from "node:http";
import { invalid } from "../errors.js";

/** A parsed HTTP request as handlers see it. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  /** Extra fields for the request log. */
  readonly log?: { readonly sql?: string; readonly jobId?: string };
}

export function ok(body: unknown, log?: ApiResponse["log"]): ApiResponse {
  return log === undefined ? { status: 200, body } : { status: 200, body, log };
}

export const NO_CONTENT: ApiResponse = { status: 204 };

/** The JSON body as an object (empty body → {}). */
export function jsonBody(request: ApiRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(request.body.toString("utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, unknown>;
  } catch {
    throw invalid("Invalid JSON payload received.");
  }
}

export function param(request: ApiRequest, name: string): string {
  return request.params[name] ?? "";
}

/** Narrow an unknown JSON value to an object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
