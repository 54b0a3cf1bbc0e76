import { describe, expect, it } from "vitest";
import { parseJsonChunks } from "../../src/graph/json-body.js";

/** A Graph-shaped page well over the split threshold, with every awkward JSON feature in its records. */
function page(records: number, pretty = false): string {
  const value = Array.from({ length: records }, (_, i) => ({
    id: `0000${i}-aaaa-4bbb-8ccc-${String(i).padStart(12, "0")}`,
    displayName: i % 7 === 0 ? `Zoë Ünal 红 ${i} 🙂` : `User ${i}`,
    quoted: `she said "hi" \\ and left\\`,
    escapes: "tab\tnewline\nunicode\u2028end",
    accountEnabled: i % 3 !== 0,
    count: i % 5 === 0 ? -1.5e3 : i,
    nothing: null,
    emptyArray: [],
    emptyObject: {},
    assignedLicenses: [{ skuId: "x", disabledPlans: ["a", "b"] }, { skuId: "y", disabledPlans: [] }],
    "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: "m" }, { id: "n", "@removed": { reason: "deleted" } }],
    onPremisesExtensionAttributes: { extensionAttribute1: "[not] {a} \"container\"", extensionAttribute2: null },
  }));
  const body = { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=a%22b", value, "@odata.deltaLink": "https://x/delta?$deltatoken=q" };
  return pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
}

/** Splits bytes at pseudo-random points, so multi-byte characters and tokens straddle chunks. */
function chunked(bytes: Buffer, seed: number): Buffer[] {
  const chunks: Buffer[] = [];
  let state = seed;
  for (let i = 0; i < bytes.length; ) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % 20_000);
    chunks.push(Buffer.from(bytes.subarray(i, i + size)));
    i += size;
  }
  return chunks;
}

describe("parseJsonChunks", () => {
  it("returns exactly what JSON.parse returns, for large pages in any chunking", () => {
    for (const text of [page(2_000), page(600, true), `  \n${page(1_500)}\r\n `]) {
      const bytes = Buffer.from(text, "utf8");
      expect(bytes.length).toBeGreaterThan(200_000);
      const expected = JSON.parse(text);
      for (const seed of [1, 2, 3]) expect(parseJsonChunks(chunked(bytes, seed))).toEqual(expected);
      expect(parseJsonChunks([bytes])).toEqual(expected);
    }
  });

  it("keeps key order, duplicate-key semantics and __proto__ as an own property", () => {
    const big = "x".repeat(70_000);
    const text = `{"b":1,"a":"${big}","__proto__":{"polluted":true},"b":2}`;
    const parsed = parseJsonChunks([Buffer.from(text)]) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(Object.keys(JSON.parse(text)));
    expect(parsed.b).toBe(2);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("parses small documents, scalars and large top-level arrays", () => {
    for (const text of ["{}", "[]", "null", "42", '"s"', '{"a":[1,2,{"b":null}]}', JSON.stringify(Array.from({ length: 20_000 }, (_, i) => [i, `v${i}`]))]) {
      expect(parseJsonChunks([Buffer.from(text)])).toEqual(JSON.parse(text));
    }
  });

  it("throws a SyntaxError for every truncation of a large page, never a partial value", () => {
    const bytes = Buffer.from(page(1_000), "utf8");
    for (let cut = bytes.length - 1; cut > 0; cut -= 997) {
      expect(() => parseJsonChunks([bytes.subarray(0, cut)]), `cut at ${cut}`).toThrow(SyntaxError);
    }
  });

  it("throws a SyntaxError for malformed structure inside a large document", () => {
    const good = page(1_000);
    for (const bad of [good.replace('"value":[', '"value":[,'), good.replace("}]", "},]"), good.replace('"@odata.context":', '"@odata.context"'), `${good}x`, good.replace(',"value"', ' "value"')]) {
      expect(() => parseJsonChunks([Buffer.from(bad)])).toThrow(SyntaxError);
    }
  });
});
