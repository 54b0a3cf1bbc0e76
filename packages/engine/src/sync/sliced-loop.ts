/**
 * How long a loop over a page's records may hold the main thread before other work gets a turn.
 * Every table's responses are read on this thread: while one table validates a page of 999 users
 * (about 75 ms), the chunks of another table's response wait, and a table that is fetch-bound
 * waits with them (bench/sync.mjs, 100k users at 50 ms: groups' pages took 75 ms each instead of
 * 57 alone; with 4 ms slices, 68 ms, and the whole sync went from 33-35 s to 30-31 s).
 */
const SLICE_MS = 4;

/** Items between two looks at the clock. */
const CHECK_EVERY = 32;

/**
 * Calls `each` on every item in order, giving the event loop a turn (setImmediate: pending I/O
 * runs first) whenever the loop has run `sliceMs` since its start or its last turn.
 */
export async function forEachInSlices<T>(items: readonly T[], each: (item: T) => void, sliceMs = SLICE_MS): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % CHECK_EVERY === 0 && performance.now() - sliceStart > sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    each(items[i]!);
  }
}
