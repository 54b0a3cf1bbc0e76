import { describe, expect, test } from "vitest";
import { RequestBudget, type ThrottleClass } from "../../src/graph/request-budget.js";
import { FakeClock, settle } from "./fake-clock.js";

/** Starts `count` acquisitions at once; records when each is granted and releases at once. */
function startMany(budget: RequestBudget, clock: FakeClock, cls: ThrottleClass, count: number, units = 1): number[] {
  const grants: number[] = [];
  for (let i = 0; i < count; i++) {
    void budget.acquire(cls, units).then((permit) => {
      grants.push(clock.now());
      permit.release();
    });
  }
  return grants;
}

/** The largest number of grants inside any window of `windowMs` (half-open). */
function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (const start of times) max = Math.max(max, times.filter((t) => t >= start && t < start + windowMs).length);
  return max;
}

describe("RequestBudget", () => {
  test("tells how long a request of a class would wait for room in its window, or for a pause to end", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock, limits: { signInActivity: { limit: 2, windowMs: 60_000 } } });
    expect(budget.waitBefore("signInActivity")).toBe(0);
    startMany(budget, clock, "signInActivity", 2);
    await settle();
    await clock.advanceTo(15_000);
    expect(budget.waitBefore("signInActivity")).toBe(45_000);
    expect(budget.waitBefore("directory", 5)).toBe(0);
    budget.pause("directory", 3_000);
    expect(budget.waitBefore("directory", 5)).toBe(3_000);
    expect(budget.limitOf("signInActivity")).toEqual({ limit: 2, windowMs: 60_000 });
  });

  test("paces the reports class to 5 requests per 10 s", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock, limits: { reports: { limit: 5, windowMs: 10_000 } } });
    const grants = startMany(budget, clock, "reports", 12);
    await settle();
    expect(grants).toEqual([0, 0, 0, 0, 0]);
    await clock.advanceTo(9_999);
    expect(grants).toHaveLength(5);
    await clock.advanceTo(10_000);
    expect(grants).toHaveLength(10);
    await clock.advanceTo(30_000);
    expect(grants).toEqual([0, 0, 0, 0, 0, 10_000, 10_000, 10_000, 10_000, 10_000, 20_000, 20_000]);
    expect(maxInWindow(grants, 10_000)).toBe(5);
    expect(clock.pendingTimers()).toBe(0);
  });

  test("the default reports limit stays inside 5 per 10 s, with slack", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock });
    const grants = startMany(budget, clock, "reports", 11);
    await clock.advanceTo(60_000);
    expect(grants).toHaveLength(11);
    expect(maxInWindow(grants, 10_000)).toBeLessThanOrEqual(5);
    expect(grants[5]).toBeGreaterThanOrEqual(10_000);
  });

  test("the default signInActivity limit stays inside 10 per minute, with slack", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock });
    const grants = startMany(budget, clock, "signInActivity", 21);
    await clock.advanceTo(300_000);
    expect(grants).toHaveLength(21);
    expect(maxInWindow(grants, 60_000)).toBeLessThanOrEqual(10);
    expect(grants[10]).toBeGreaterThanOrEqual(60_000);
  });

  test("directory requests are paced by resource units", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock, limits: { directory: { limit: 10, windowMs: 1_000 } } });
    const grants = startMany(budget, clock, "directory", 4, 3);
    await settle();
    expect(grants).toEqual([0, 0, 0]); // 9 of 10 units
    await clock.advanceTo(1_000);
    expect(grants).toEqual([0, 0, 0, 1_000]);
  });

  test("a class that must wait does not hold up another class", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock, limits: { reports: { limit: 1, windowMs: 10_000 } } });
    const reports = startMany(budget, clock, "reports", 3);
    const directory = startMany(budget, clock, "directory", 3);
    await settle();
    expect(reports).toEqual([0]);
    expect(directory).toEqual([0, 0, 0]);
  });

  test("pause() holds a whole class back, e.g. after a 429", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock });
    budget.pause("directory", 2_000);
    const grants = startMany(budget, clock, "directory", 2);
    const other = startMany(budget, clock, "identityProviders", 1);
    await settle();
    expect(grants).toEqual([]);
    expect(other).toEqual([0]);
    await clock.advanceTo(2_000);
    expect(grants).toEqual([2_000, 2_000]);
  });

  test("limits requests in flight across all classes", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock, maxConcurrency: 2 });
    const permits = await Promise.all([budget.acquire("directory", 1), budget.acquire("reports", 1)]);
    let third = false;
    void budget.acquire("identityProviders").then(() => (third = true));
    await settle();
    expect(third).toBe(false);
    expect(budget.snapshot()).toMatchObject({ inFlight: 2, waiting: 1 });
    permits[0]!.release();
    permits[0]!.release(); // idempotent
    await settle();
    expect(third).toBe(true);
    expect(budget.snapshot().inFlight).toBe(2);
  });

  test("a waiter whose signal aborts leaves the queue and rejects with the reason; the others keep their turn", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ clock, limits: { reports: { limit: 1, windowMs: 10_000 } } });
    (await budget.acquire("reports")).release();
    const stop = new AbortController();
    const aborted = budget.acquire("reports", 1, stop.signal);
    let granted = -1;
    void budget.acquire("reports").then((permit) => {
      granted = clock.now();
      permit.release();
    });
    await settle();
    expect(budget.snapshot().waiting).toBe(2);
    stop.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    expect(budget.snapshot().waiting).toBe(1);
    await clock.advanceTo(10_000);
    expect(granted).toBe(10_000);
    await expect(budget.acquire("reports", 1, stop.signal)).rejects.toMatchObject({ name: "AbortError" });
    expect(budget.snapshot().waiting).toBe(0);
  });
});
