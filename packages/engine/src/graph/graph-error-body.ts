/** The parts of a Graph error body Kaivo uses (graph-api.md §7). */
export interface GraphErrorBody {
  code: string | undefined;
  message: string | undefined;
  /** `innerError["request-id"]` (directory services) or `innerError.requestId` (docs example). */
  requestId: string | undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Reads `{ "error": { "code", "message", "innerError": { "request-id" } } }`; tolerates anything else. */
export function parseGraphErrorBody(text: string): GraphErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { code: undefined, message: undefined, requestId: undefined };
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== "object" || error === null) return { code: undefined, message: undefined, requestId: undefined };
  const e = error as Record<string, unknown>;
  const inner = (e["innerError"] ?? e["innererror"]) as Record<string, unknown> | undefined;
  return {
    code: str(e["code"]),
    message: str(e["message"]),
    requestId: str(inner?.["request-id"]) ?? str(inner?.["requestId"]),
  };
}
