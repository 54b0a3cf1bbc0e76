import { isOp, type Token } from "./tokens.js";

/**
 * Split a token list at top-level commas (outside brackets). With `angles`, `<...>` also nests: use it only where
 * types are written (column lists), since elsewhere `<` is a comparison.
 */
export function splitTopLevel(tokens: readonly Token[], separator = ",", angles = false): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "op" && (t.text === "(" || t.text === "[" || (angles && t.text === "<"))) depth++;
    if (t.kind === "op" && (t.text === ")" || t.text === "]" || (angles && t.text === ">"))) depth--;
    if (depth === 0 && isOp(t, separator)) {
      parts.push([]);
      continue;
    }
    (parts[parts.length - 1] as Token[]).push(t);
  }
  return parts.length === 1 && parts[0]?.length === 0 ? [] : parts;
}

/** Index of the first top-level token satisfying `match`, or -1. */
export function findTopLevel(tokens: readonly Token[], match: (t: Token, i: number) => boolean, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (depth === 0 && match(t, i)) return i;
    if (t.kind === "op" && (t.text === "(" || t.text === "[")) depth++;
    if (t.kind === "op" && (t.text === ")" || t.text === "]")) depth--;
  }
  return -1;
}
