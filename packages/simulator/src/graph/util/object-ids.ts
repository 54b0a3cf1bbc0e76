import { Rng, streamKey } from "./prng.js";

// Ids of generated objects encode their index, so the simulator can find object N from its id
// without a map (a 1,000,000-user tenant keeps no per-user state). The last 8 hex digits hold
// index XOR a per-(seed, kind) mask; the rest is random. decodeIndex verifies by regenerating.

export function indexedGuid(seed: number, kind: number, index: number): string {
  const rng = Rng.for(seed, kind, index);
  const random = rng.hex(24);
  const variant = "89ab"[rng.int(4)] ?? "8";
  const tail = ((index ^ maskFor(seed, kind)) >>> 0).toString(16).padStart(8, "0");
  return `${random.slice(0, 8)}-${random.slice(8, 12)}-4${random.slice(13, 16)}-${variant}${random.slice(17, 20)}-${random.slice(20, 24)}${tail}`;
}

/** The index an id was generated from, or undefined when it is not one of ours. */
export function decodeIndex(seed: number, kind: number, id: string, count: number): number | undefined {
  if (id.length !== 36) return undefined;
  const tail = Number.parseInt(id.slice(28), 16);
  if (!Number.isFinite(tail)) return undefined;
  const index = (tail ^ maskFor(seed, kind)) >>> 0;
  if (index >= count) return undefined;
  return indexedGuid(seed, kind, index) === id ? index : undefined;
}

function maskFor(seed: number, kind: number): number {
  return streamKey(seed, kind, 0x7fffffff);
}
