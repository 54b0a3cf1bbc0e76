import { hostname } from "node:os";
import { expect, test } from "vitest";
import { leaseIsLive, type LeaseRecord } from "../../src/destinations/lease.js";
import { PROCESS_STARTED_MS } from "../../src/process-is-alive.js";

const now = new Date("2026-12-06T10:00:00Z");
const lease = (over: Partial<LeaseRecord>): LeaseRecord => ({ runId: "r", holder: "h", host: hostname(), pid: process.pid, processStartedMs: PROCESS_STARTED_MS, expiresAt: "2026-12-06T10:05:00Z", ...over });

test.each([
  ["held by this very process (another run in it)", lease({}), true],
  ["taken by this pid in an earlier life (a restarted container's pid 1)", lease({ processStartedMs: PROCESS_STARTED_MS - 60_000 }), false],
  ["taken by this pid before leases recorded the start", lease({ processStartedMs: undefined }), true],
  ["taken by a process that is gone", lease({ pid: 4_194_399 }), false],
  ["taken on another host, whose processes cannot be seen", lease({ host: "another-host", pid: 4_194_399 }), true],
  ["expired", lease({ expiresAt: "2026-12-06T09:59:59Z" }), false],
])("a lease %s: live %s", (_case, record, live) => {
  expect(leaseIsLive(record, now, hostname())).toBe(live);
});
