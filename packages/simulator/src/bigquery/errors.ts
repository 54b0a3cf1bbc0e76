/** BigQuery error reasons the emulator produces, with their HTTP status and google.rpc status (bigquery.md §4.3). */
export const ERROR_REASONS = {
  invalid: [400, "INVALID_ARGUMENT"],
  invalidQuery: [400, "INVALID_ARGUMENT"],
  resourceInUse: [400, "FAILED_PRECONDITION"],
  bytesBilledLimitExceeded: [400, "INVALID_ARGUMENT"],
  jobBackendError: [400, "INVALID_ARGUMENT"],
  jobInternalError: [400, "INVALID_ARGUMENT"],
  jobRateLimitExceeded: [400, "INVALID_ARGUMENT"],
  accessDenied: [403, "PERMISSION_DENIED"],
  quotaExceeded: [403, "PERMISSION_DENIED"],
  rateLimitExceeded: [403, "PERMISSION_DENIED"],
  notFound: [404, "NOT_FOUND"],
  duplicate: [409, "ALREADY_EXISTS"],
  conditionNotMet: [412, "FAILED_PRECONDITION"],
  internalError: [500, "INTERNAL"],
  notImplemented: [501, "UNIMPLEMENTED"],
  backendError: [503, "UNAVAILABLE"],
  stopped: [200, "OK"],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorReason = keyof typeof ERROR_REASONS;

/** The ErrorProto of BigQuery job status and error bodies. */
export interface ErrorProto {
  readonly reason: string;
  readonly message: string;
  readonly location?: string;
  readonly domain?: string;
}

/** An error answered as a Google-style JSON error body. */
export class BigQueryError extends Error {
  override readonly name = "BigQueryError";
  readonly code: number;
  readonly status: string;
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly location?: string,
  ) {
    super(message);
    const [code, status] = ERROR_REASONS[reason];
    this.code = code;
    this.status = status;
  }

  toProto(): ErrorProto {
    return { reason: this.reason, message: this.message, ...(this.location !== undefined ? { location: this.location } : {}) };
  }

  /** {"error":{"code","message","errors":[{"message","domain":"global","reason"}],"status"}} */
  toBody(): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ message: this.message, domain: "global", reason: this.reason, ...(this.location !== undefined ? { location: this.location } : {}) }],
        status: this.status,
      },
    };
  }
}

export const notFound = (what: string): BigQueryError => new BigQueryError("notFound", `Not found: ${what}`);
export const duplicate = (what: string): BigQueryError => new BigQueryError("duplicate", `Already Exists: ${what}`);
export const invalid = (message: string): BigQueryError => new BigQueryError("invalid", message);
export const invalidQuery = (message: string): BigQueryError => new BigQueryError("invalidQuery", message, "query");
