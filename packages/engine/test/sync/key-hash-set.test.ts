import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyHashSet } from "../../src/sync/key-hash-set.js";

describe("KeyHashSet", () => {
  it("reports every repeated key, including after the table has grown many times", () => {
    const set = new KeyHashSet();
    const keys = Array.from({ length: 50_000 }, () => randomUUID());
    const firstAdds = keys.map((k) => set.add(k));
    // 50,000 random keys in 52 bits: a shared hash has odds of about 3 in 10 million.
    expect(firstAdds.filter(Boolean)).toHaveLength(0);
    expect(set.size).toBe(keys.length);
    expect(keys.every((k) => set.add(k))).toBe(true);
    expect(set.size).toBe(keys.length);
  });

  it("tells apart keys that differ in one character, in length, or only beyond ASCII", () => {
    const set = new KeyHashSet();
    for (const key of ["", "a", "b", "ab", "ba", "a\u0000b", "ä", "\u00e4\u00e4", "group-1\u0000user-1", "group-1\u0000user-2"]) expect(set.add(key)).toBe(false);
    expect(set.add("a\u0000b")).toBe(true);
    expect(set.add("")).toBe(true);
  });
});
