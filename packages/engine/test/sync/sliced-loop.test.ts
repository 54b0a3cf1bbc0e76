import { describe, expect, test } from "vitest";
import { forEachInSlices } from "../../src/sync/sliced-loop.js";

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe("forEachInSlices", () => {
  test("visits every item in order, letting other callbacks run during a long loop", async () => {
    const seen: number[] = [];
    let seenWhenOtherRan: number | undefined;
    setImmediate(() => (seenWhenOtherRan = seen.length));
    // 1,000 items of 0.1 ms each: 100 ms in all, in slices of 4 ms.
    await forEachInSlices(Array.from({ length: 1000 }, (_, i) => i), (i) => {
      busy(0.1);
      seen.push(i);
    }, 4);
    expect(seen).toStrictEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(seenWhenOtherRan).toBeGreaterThan(0);
    expect(seenWhenOtherRan).toBeLessThan(200);
  });

  test("a loop shorter than a slice runs without a break", async () => {
    const seen: number[] = [];
    let ranBeforeEnd = false;
    setImmediate(() => (ranBeforeEnd = seen.length < 100));
    await forEachInSlices(Array.from({ length: 100 }, (_, i) => i), (i) => void seen.push(i), 1000);
    expect(seen).toHaveLength(100);
    expect(ranBeforeEnd).toBe(false);
  });
});
