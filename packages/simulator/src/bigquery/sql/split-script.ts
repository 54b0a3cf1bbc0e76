import { isOp, word, type Token } from "./tokens.js";

export interface ScriptStatement {
  readonly tokens: Token[];
  /** Source text of the statement. */
  readonly text: string;
}

/** Split a script at top-level semicolons. BEGIN ... END blocks are not split specially (they are rejected later). */
export function splitScript(sql: string, tokens: readonly Token[]): ScriptStatement[] {
  const statements: ScriptStatement[] = [];
  let current: Token[] = [];
  let depth = 0;
  const flush = (endPos: number): void => {
    if (current.length > 0) {
      const start = current[0]?.pos ?? 0;
      statements.push({ tokens: current, text: sql.slice(start, endPos).trim() });
    }
    current = [];
  };
  for (const t of tokens) {
    if (isOp(t, "(") || isOp(t, "[")) depth++;
    if (isOp(t, ")") || isOp(t, "]")) depth--;
    if (depth === 0 && isOp(t, ";")) {
      flush(t.pos);
      continue;
    }
    current.push(t);
  }
  flush(sql.length);
  return statements;
}

export function firstWord(tokens: readonly Token[]): string {
  return word(tokens[0]);
}
