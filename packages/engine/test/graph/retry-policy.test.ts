import { describe, expect, test } from "vitest";
import { parseRetryAfter, RetryPolicy } from "../../src/graph/retry-policy.js";

const now = Date.parse("2025-01-01T00:00:00Z");

describe("parseRetryAfter", () => {
  test.each([
    ["0.2", 200],
    ["2.128", 2_128],
    ["30", 30_000],
    [" 5 ", 5_000],
    ["Wed, 01 Jan 2025 00:00:07 GMT", 7_000],
    ["Tue, 31 Dec 2024 23:59:00 GMT", 0],
  ])("reads %j as %i ms", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  test.each([undefined, "", "soon", "-1"])("ignores %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("RetryPolicy", () => {
  const policy = new RetryPolicy({ random: () => 0.5, now: () => now, baseDelayMs: 1_000, maxDelayMs: 60_000 });

  test("honours Retry-After on 429 and 503, capped", () => {
    expect(policy.decide({ kind: "status", status: 429, retryAfter: "0.2" }, 1)).toEqual({ retry: true, delayMs: 200, reason: "retry-after" });
    expect(policy.decide({ kind: "status", status: 503, retryAfter: "3" }, 1)).toEqual({ retry: true, delayMs: 3_000, reason: "retry-after" });
    expect(policy.decide({ kind: "status", status: 429, retryAfter: "86400" }, 1)).toEqual({ retry: true, delayMs: 300_000, reason: "retry-after" });
  });

  test("backs off exponentially with full jitter when there is no Retry-After", () => {
    const failure = { kind: "status", status: 500, retryAfter: undefined } as const;
    expect([1, 2, 3, 4, 5].map((a) => policy.decide(failure, a))).toEqual([
      { retry: true, delayMs: 500, reason: "backoff" },
      { retry: true, delayMs: 1_000, reason: "backoff" },
      { retry: true, delayMs: 2_000, reason: "backoff" },
      { retry: true, delayMs: 4_000, reason: "backoff" },
      { retry: true, delayMs: 8_000, reason: "backoff" },
    ]);
    const jittered = new RetryPolicy({ random: () => 0, baseDelayMs: 1_000 });
    expect(jittered.decide(failure, 3)).toEqual({ retry: true, delayMs: 0, reason: "backoff" });
    const capped = new RetryPolicy({ random: () => 0.999, baseDelayMs: 1_000, maxDelayMs: 5_000, maxAttempts: 20 });
    expect(capped.decide(failure, 10)).toEqual({ retry: true, delayMs: 4_995, reason: "backoff" });
  });

  test.each([500, 502, 503, 504, 408, 429])("retries status %i", (status) => {
    expect(policy.decide({ kind: "status", status, retryAfter: undefined }, 1).retry).toBe(true);
  });

  test.each([400, 401, 403, 404, 409, 501])("does not retry status %i", (status) => {
    expect(policy.decide({ kind: "status", status, retryAfter: "1" }, 1)).toEqual({ retry: false });
  });

  test("retries resets and cut-off bodies, not TLS trust failures", () => {
    expect(policy.decide({ kind: "network", code: "ECONNRESET" }, 1).retry).toBe(true);
    expect(policy.decide({ kind: "network", code: "UND_ERR_SOCKET" }, 1).retry).toBe(true);
    expect(policy.decide({ kind: "invalid-body" }, 1).retry).toBe(true);
    expect(policy.decide({ kind: "network", code: "DEPTH_ZERO_SELF_SIGNED_CERT" }, 1).retry).toBe(false);
    expect(policy.decide({ kind: "network", code: "ENOTFOUND" }, 1).retry).toBe(false);
  });

  test("stops after maxAttempts (default 6)", () => {
    const failure = { kind: "network", code: "ECONNRESET" } as const;
    expect(new RetryPolicy().decide(failure, 5).retry).toBe(true);
    expect(new RetryPolicy().decide(failure, 6)).toEqual({ retry: false });
  });
});
