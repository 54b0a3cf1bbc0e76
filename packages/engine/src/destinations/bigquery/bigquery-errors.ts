import { WarehouseError } from "../errors.js";

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

export function toWarehouseError(error: unknown, what: string, jobId?: string): WarehouseError {
  const e = error as ApiErrorLike;
  const id = jobId ?? e.response?.jobReference?.jobId;
  const messages = (e.errors ?? []).map((x) => x.message).filter(Boolean);
  // A bad load lists one error per row; the first few say what is wrong.
  const detail = messages.length ? `${messages.slice(0, 3).join("; ")}${messages.length > 3 ? `; … ${messages.length - 3} more` : ""}` : e.message || String(error);
  return new WarehouseError(`BigQuery ${what} failed: ${detail}${id ? ` (job ${id})` : ""}`, id, { cause: error, retryable: isRetryable(error) });
}

/** Retries `work` while BigQuery says the failure is transient, with exponential backoff and jitter. */
export async function withBigQueryRetries<T>(what: string, work: () => Promise<T>, attempts = 5, baseDelayMs = 1_000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw toWarehouseError(error, what);
      await new Promise((r) => setTimeout(r, Math.random() * baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
