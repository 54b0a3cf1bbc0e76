/** A Graph-shaped error: thrown by endpoint code, rendered by the server with request ids. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphError";
  }
}

/** `date` inside innerError has no zone designator, as in real directory errors. */
export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId: string, now: Date): string {
  return JSON.stringify({
    error: {
      code,
      message,
      innerError: {
        date: now.toISOString().slice(0, 19),
        "request-id": requestId,
        "client-request-id": clientRequestId,
      },
    },
  });
}

export const Errors = {
  unsupportedQuery: (message = "Unsupported Query.") => new GraphError(400, "Request_UnsupportedQuery", message),
  pageSize: (value: string, max: number) =>
    new GraphError(400, "Request_UnsupportedQuery", `Invalid page size specified: '${value}'. Must be between 1 and ${max} inclusive.`),
  badRequest: (message: string) => new GraphError(400, "Request_BadRequest", message),
  unknownProperty: (name: string, type: string) =>
    new GraphError(400, "Request_BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`),
  segment: (segment: string) => new GraphError(400, "BadRequest", `Resource not found for the segment '${segment}'.`),
  methodNotAllowed: () => new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."),
  denied: () => new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
  nonPremium: () =>
    new GraphError(
      403,
      "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
      "Neither tenant is B2C or tenant doesn't have premium license",
    ),
  expiredPageToken: () =>
    new GraphError(400, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request."),
  syncStateNotFound: () =>
    new GraphError(400, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again."),
  notImplemented: () => new GraphError(501, "NotImplemented", "This operation target is not yet supported."),
};
