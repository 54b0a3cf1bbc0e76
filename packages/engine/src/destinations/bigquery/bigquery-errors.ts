import { WarehouseError, WarehouseAccessError } from "../errors.js";

interface ApiErrorLike {
  code?: number;
  message?: string;
  errors?: Array<{ reason?: string; message?: string }>;
  response?: { jobReference?: { jobId?: string } };
}

const RETRYABLE_REASONS = new Set(["rateLimitExceeded", "backendError", "internalError", "jobBackendError", "jobInternalError", "jobRateLimitExceeded"]);

/** BigQuery's reasons for an error (from the API error or a failed job's status). */
export function reasonsOf(error: unknown): string[] {
  const e = error as ApiErrorLike;
  return (e.errors ?? []).map((x) => x.reason ?? "").filter(Boolean);
}

/**
 * What BigQuery says can be retried, plus a concurrent-DML conflict (BigQuery retries those itself
 * three times first), in either of its wordings: "Could not serialize access to table … due to
 * concurrent update" and "Transaction is aborted due to concurrent update against table …".
 */
export function isRetryable(error: unknown): boolean {
  const message = (error as ApiErrorLike).message ?? "";
  return reasonsOf(error).some((r) => RETRYABLE_REASONS.has(r)) || /due to concurrent update/i.test(message) || [500, 502, 503, 504].includes((error as ApiErrorLike).code ?? 0);
}

/** Errors of the network below the client: BigQuery, or Google's token host, not reached at all. */
const NETWORK_CODES = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)\b/;

/**
 * What keeps every request from BigQuery, which no retry of one statement mends: the host not
 * reached, no credentials, credentials Google refuses, or no such project. Undefined otherwise.
 */
function accessProblem(error: unknown): WarehouseAccessError | undefined {
  const e = error as ApiErrorLike & { code?: unknown };
  const message = e.message ?? String(error);
  const project = /^Not found: Project (\S+)/.exec(message);
  if (e.code === 404 && project) {
    return new WarehouseAccessError(`BigQuery has no project ${project[1]}, or these credentials cannot see it.`, "config", "Set warehouse.project to the project's ID (as `gcloud projects list` shows it), and check the credentials' access to it.", error);
  }
  if (e.errors?.length) return undefined;
  if (/Could not load the default credentials/i.test(message)) {
    return new WarehouseAccessError("No Google credentials were found for BigQuery (no Application Default Credentials, no warehouse.keyFile).", "config", "Run `gcloud auth application-default login` (or give the machine a service account), or set warehouse.keyFile to a service-account key file.", error);
  }
  if (/DECODER routines|invalid_grant|invalid_client|private key/i.test(message)) {
    return new WarehouseAccessError(`Google refused the BigQuery credentials (${message.split("\n")[0]}).`, "config", "Check warehouse.keyFile: it must be a service-account key file (JSON) whose key is still enabled.", error);
  }
  const network = NETWORK_CODES.exec(`${typeof e.code === "string" ? e.code : ""} ${message}`);
  if (network) {
    const token = /oauth2\.googleapis\.com|\/token\b/.test(message);
    return new WarehouseAccessError(
      `Could not reach ${token ? "Google's token host for BigQuery credentials" : "BigQuery"} (${network[1]}): ${message.split("\n")[0]}`,
      "transient",
      "Check warehouse.apiEndpoint (leave it out for Google's own) and that the host is reachable from here (a proxy or firewall may stand in the way).",
      error,
    );
  }
  return undefined;
}

export function toWarehouseError(error: unknown, what: string, jobId?: string): WarehouseError | WarehouseAccessError {
  const cut = accessProblem(error);
  if (cut) return cut;
  const e = error as ApiErrorLike;
  const id = jobId ?? e.response?.jobReference?.jobId;
  const messages = (e.errors ?? []).map((x) => x.message).filter(Boolean);
  // A bad load lists one error per row; the first few say what is wrong.
  const detail = messages.length ? `${messages.slice(0, 3).join("; ")}${messages.length > 3 ? `; … ${messages.length - 3} more` : ""}` : e.message || String(error);
  return new WarehouseError(`BigQuery ${what} failed: ${detail}${id ? ` (job ${id})` : ""}`, id, { cause: error, retryable: isRetryable(error) });
}

/** A failed BigQuery call about to be tried again. */
export interface WarehouseRetry {
  what: string;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  waitMs: number;
  error: string;
}

/** Retries `work` while BigQuery says the failure is transient, with exponential backoff and jitter. */
export async function withBigQueryRetries<T>(
  what: string,
  work: () => Promise<T>,
  { attempts = 5, baseDelayMs = 1_000, onRetry }: { attempts?: number; baseDelayMs?: number | undefined; onRetry?: ((retry: WarehouseRetry) => void) | undefined } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw toWarehouseError(error, what);
      const waitMs = Math.random() * baseDelayMs * 2 ** (attempt - 1);
      onRetry?.({ what, attempt, waitMs, error: toWarehouseError(error, what).message });
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
