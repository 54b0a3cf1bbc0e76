import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";

/** One HTTP request as Graph's client sends it: one attempt, without retries. */
export interface HttpAttempt {
  origin: string;
  path: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body: string | null;
  /** For the headers, and for each gap in the body. */
  timeoutMs: number;
}

/** What one attempt ended with: a response read whole (as the chunks it arrived in), or a network failure. */
export type AttemptOutcome =
  | { kind: "response"; status: number; headers: IncomingHttpHeaders; chunks: Buffer[] }
  | { kind: "network"; code: string; error: unknown };

/** The network code of an attempt given up because its signal aborted. */
export const ATTEMPT_ABORTED = "KAIVO_ATTEMPT_ABORTED";

/**
 * Sends HTTP attempts; a failure anywhere is a network outcome, never a rejection. When `signal`
 * aborts, the attempt is given up at once (its connection closed) and ends as ATTEMPT_ABORTED.
 */
export interface HttpTransport {
  send(attempt: HttpAttempt, signal?: AbortSignal): Promise<AttemptOutcome>;
  close(): Promise<void>;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code !== "") return code;
  return error instanceof Error ? error.name : "UNKNOWN";
}

/** Attempts sent on this thread through an undici dispatcher; `close` closes it only if `owned`. */
export function dispatcherTransport(dispatcher: Dispatcher, owned: boolean): HttpTransport {
  return {
    async send({ origin, path, method, headers, body, timeoutMs }, signal) {
      let response: Dispatcher.ResponseData;
      try {
        response = await dispatcher.request({ origin, path, method, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, ...(signal ? { signal } : {}) });
      } catch (error) {
        return { kind: "network", code: signal?.aborted ? ATTEMPT_ABORTED : errorCode(error), error };
      }
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of response.body) chunks.push(chunk as Buffer);
        return { kind: "response", status: response.statusCode, headers: response.headers, chunks };
      } catch (error) {
        // Reset or close mid-body. For an error status the status alone decides what happens next.
        if (signal?.aborted) return { kind: "network", code: ATTEMPT_ABORTED, error };
        if (response.statusCode < 200 || response.statusCode >= 300) {
          return { kind: "response", status: response.statusCode, headers: response.headers, chunks: [] };
        }
        return { kind: "network", code: errorCode(error), error };
      }
    },
    async close() {
      if (owned) await dispatcher.close();
    },
  };
}
