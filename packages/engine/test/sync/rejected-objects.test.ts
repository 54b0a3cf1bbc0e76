import { describe, expect, it } from "vitest";
import { MAX_TRACKED_OBJECTS, RejectedObjects } from "../../src/sync/rejected-objects.js";

describe("RejectedObjects", () => {
  it("makes a rejected object's next partial record a patch and due; reading it again takes it out of due", () => {
    const tracked = new RejectedObjects(null);
    expect(tracked.changed("a")).toBe(false);
    tracked.rejected("a");
    expect(tracked.toState()).toStrictEqual({ waiting: ["a"], due: [] });
    expect(tracked.changed("a")).toBe(true);
    // Every later partial record of it in the round is a patch too.
    expect(tracked.changed("a")).toBe(true);
    expect(tracked.takeDue()).toStrictEqual(["a"]);
    expect(tracked.toState()).toBeNull();
  });

  it("forgets an object stored whole or removed, and everything on an initial round", () => {
    const tracked = new RejectedObjects({ waiting: ["a", "b", "c"], due: ["d"] });
    tracked.settled("a");
    tracked.settled("d");
    expect(tracked.toState()).toStrictEqual({ waiting: ["b", "c"], due: [] });
    tracked.clear();
    expect(tracked.toState()).toBeNull();
  });

  it("an object rejected again after it fell due waits again", () => {
    const tracked = new RejectedObjects({ waiting: [], due: ["a"] });
    tracked.rejected("a");
    expect(tracked.toState()).toStrictEqual({ waiting: ["a"], due: [] });
  });

  it(`tracks at most ${MAX_TRACKED_OBJECTS} objects, and says so for the first it leaves out only`, () => {
    const tracked = new RejectedObjects(null);
    const results = Array.from({ length: MAX_TRACKED_OBJECTS + 3 }, (_, i) => tracked.rejected(`id-${i}`));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(results.indexOf(true)).toBe(MAX_TRACKED_OBJECTS);
    expect(tracked.toState()!.waiting).toHaveLength(MAX_TRACKED_OBJECTS);
    // One already tracked is rejected again without complaint.
    expect(tracked.rejected("id-0")).toBe(false);
    expect(tracked.changed(`id-${MAX_TRACKED_OBJECTS + 1}`)).toBe(false);
  });
});
