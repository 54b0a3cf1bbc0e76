import type { TranslationContext } from "./context.js";
import { splitTopLevel } from "./split-args.js";
import { isOp, word, type Token } from "./tokens.js";
import { translateToText } from "./translate-expression.js";
import { syntaxError } from "./translation-error.js";
import { findClose } from "./types.js";

export interface ParsedOptions {
  /** Option name (lower case) → DuckDB expression text for its value. */
  readonly options: Record<string, string>;
  readonly next: number;
}

/** Parse `OPTIONS (name = expr, ...)` starting at the OPTIONS keyword. */
export function parseOptions(tokens: readonly Token[], i: number, ctx: TranslationContext): ParsedOptions {
  if (word(tokens[i]) !== "OPTIONS" || !isOp(tokens[i + 1], "(")) throw syntaxError("expected OPTIONS(...)", tokens[i]?.pos ?? -1);
  const close = findClose(tokens, i + 1);
  const options: Record<string, string> = {};
  for (const item of splitTopLevel(tokens.slice(i + 2, close))) {
    const key = item[0];
    if (key === undefined || !isOp(item[1], "=")) throw syntaxError("expected name = value in OPTIONS", key?.pos ?? -1);
    const name = key.value.toLowerCase();
    // labels are arrays of (key, value) tuples: kept as text, not evaluated
    options[name] = name === "labels" ? "NULL" : translateToText(item.slice(2), ctx);
  }
  return { options, next: close + 1 };
}
