import { Rng, streamKey } from "./prng.js";

// Ids of generated objects encode their index, so the simulator can find object N from its id
// without a map (a 1,000,000-user tenant keeps no per-user state). The last 8 hex digits hold
// index XOR a per-(seed, kind) mask; the rest is random. decodeIndex verifies by regenerating.

export function indexedGuid(seed: number, kind: number, index: number): string {
  // Byte-for-byte the layout of hex(24) sliced into GUID groups, built without the intermediate
  // strings: ids are the simulator's most frequent computation (every membership edge needs one).
  const rng = Rng.for(seed, kind, index);
  const b = HEX_PAIRS;
  const p0 = b[rng.byte()]! + b[rng.byte()]! + b[rng.byte()]! + b[rng.byte()]!;
  const p1 = b[rng.byte()]! + b[rng.byte()]!;
  const p2 = b[rng.byte()]!.charAt(1) + b[rng.byte()]!;
  const p3 = b[rng.byte()]!.charAt(1) + b[rng.byte()]!;
  const p4 = b[rng.byte()]! + b[rng.byte()]!;
  const variant = VARIANTS[rng.int(4)]!;
  const tail = ((index ^ maskFor(seed, kind)) >>> 0).toString(16).padStart(8, "0");
  return `${p0}-${p1}-4${p2}-${variant}${p3}-${p4}${tail}`;
}

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const VARIANTS = "89ab";

/** The index an id was generated from, or undefined when it is not one of ours. */
export function decodeIndex(seed: number, kind: number, id: string, count: number): number | undefined {
  if (id.length !== 36) return undefined;
  const tail = Number.parseInt(id.slice(28), 16);
  if (!Number.isFinite(tail)) return undefined;
  const index = (tail ^ maskFor(seed, kind)) >>> 0;
  if (index >= count) return undefined;
  return indexedGuid(seed, kind, index) === id ? index : undefined;
}

const masks = new Map<number, number>();

function maskFor(seed: number, kind: number): number {
  const key = seed * 64 + kind;
  let mask = masks.get(key);
  if (mask === undefined) masks.set(key, (mask = streamKey(seed, kind, 0x7fffffff)));
  return mask;
}
