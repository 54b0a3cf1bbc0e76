/** Lexical tokens of GoogleSQL (and, after translation, of the DuckDB SQL we emit). */
export type TokenKind =
  | "ident" // bare identifier or keyword: select, T, users
  | "qident" // quoted identifier; `value` is the unquoted name (a backticked path keeps its dots)
  | "string" // string literal; `value` is the decoded text
  | "bytes" // bytes literal; `value` is the decoded text
  | "number"
  | "param" // @name or ? ; `value` is the name ("" for positional)
  | "op" // operators and punctuation: ( ) , . ; * + - = <> etc.
  | "raw"; // already-translated DuckDB text, emitted verbatim

export interface Token {
  readonly kind: TokenKind;
  /** The text to emit. For GoogleSQL input tokens this is the source text. */
  readonly text: string;
  /** Decoded value: identifier name, string contents, parameter name. */
  readonly value: string;
  /** Offset in the original statement (-1 for synthesized tokens). */
  readonly pos: number;
}

export function raw(text: string): Token {
  return { kind: "raw", text, value: text, pos: -1 };
}

export function op(text: string): Token {
  return { kind: "op", text, value: text, pos: -1 };
}

/** Upper-cased word if the token is a bare identifier, else "". Keywords are bare identifiers. */
export function word(token: Token | undefined): string {
  return token !== undefined && token.kind === "ident" ? token.value.toUpperCase() : "";
}

export function isOp(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === "op" && token.text === text;
}

/** Quote a name as a DuckDB identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quote text as a DuckDB string literal (standard SQL: no backslash escapes). */
export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const NO_SPACE_BEFORE = new Set([",", ")", "]", ".", ";"]);
/** Keywords keep their space before "(" (IN (…), OVER (…)); function names do not. */
const SPACED_KEYWORDS = new Set(["IN", "OVER", "AS", "AND", "OR", "NOT", "ON", "USING", "FROM", "JOIN", "WHERE", "SELECT", "VALUES", "EXISTS", "THEN", "ELSE", "WHEN", "BY", "INTO", "ALL", "ANY", "IS", "EXCLUDE", "REPLACE", "RETURNING", "WINDOW", "QUALIFY", "HAVING"]);
const NO_SPACE_AFTER = new Set(["(", "[", "."]);

/** Render tokens as SQL text with conventional spacing. */
export function render(tokens: readonly Token[]): string {
  let out = "";
  let prev: Token | undefined;
  for (const token of tokens) {
    if (prev !== undefined) {
      const tight =
        (token.kind === "op" && NO_SPACE_BEFORE.has(token.text)) ||
        (prev.kind === "op" && NO_SPACE_AFTER.has(prev.text)) ||
        // f(x): no space between a function name and its parenthesis
        (token.kind === "op" && token.text === "(" && (prev.kind === "ident" || prev.kind === "raw") && !SPACED_KEYWORDS.has(prev.text.toUpperCase()));
      if (!tight) out += " ";
    }
    out += token.text;
    prev = token;
  }
  return out;
}
