import { syntaxError, unsupported } from "./translation-error.js";
import type { Token } from "./tokens.js";

// No "<<"/">>": they would swallow the closing brackets of nested types such as ARRAY<STRUCT<a INT64>>.
const MULTI_OPS = ["<=", ">=", "<>", "!=", "||", "=>", "->"];
const SINGLE_OPS = "(),.;*+-/=<>[]{}&|^~:?%!";

/**
 * Split GoogleSQL text into tokens (lexical structure per the GoogleSQL reference): comments (`--`, `#`, `/* *\/`)
 * are dropped, string literals are decoded (escapes unless raw), backticked names keep their dots.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ((ch === "-" && sql[i + 1] === "-") || ch === "#") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) throw syntaxError("unclosed comment", i);
      i = end + 2;
      continue;
    }
    const start = i;
    // string / bytes literals with optional r/b prefixes
    const prefix = /^(?:[rR][bB]?|[bB][rR]?)?(?=['"])/.exec(sql.slice(i, i + 3));
    if (prefix !== null && (prefix[0] !== "" || ch === "'" || ch === '"')) {
      const p = prefix[0].toLowerCase();
      const isRaw = p.includes("r");
      const isBytes = p.includes("b");
      i += p.length;
      const q = sql[i] as string;
      const triple = sql.slice(i, i + 3) === q.repeat(3);
      const delim = triple ? q.repeat(3) : q;
      i += delim.length;
      let value = "";
      for (;;) {
        if (i >= n) throw syntaxError("unclosed string literal", start);
        if (sql.startsWith(delim, i)) {
          i += delim.length;
          break;
        }
        const c = sql[i] as string;
        if (c === "\\") {
          if (isRaw) {
            value += c + (sql[i + 1] ?? "");
            i += 2;
            continue;
          }
          const [decoded, len] = decodeEscape(sql, i);
          value += decoded;
          i += len;
          continue;
        }
        if (!triple && c === "\n") throw syntaxError("unclosed string literal", start);
        value += c;
        i++;
      }
      tokens.push({ kind: isBytes ? "bytes" : "string", text: sql.slice(start, i), value, pos: start });
      continue;
    }
    if (ch === "`") {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) throw syntaxError("unclosed quoted identifier", start);
        const c = sql[i] as string;
        if (c === "`") {
          i++;
          break;
        }
        if (c === "\\") {
          const [decoded, len] = decodeEscape(sql, i);
          value += decoded;
          i += len;
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: "qident", text: sql.slice(start, i), value, pos: start });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(sql[i + 1] ?? "") && !endsWithName(tokens))) {
      const m = /^(?:0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(sql.slice(i));
      const text = m?.[0] ?? ch;
      i += text.length;
      tokens.push({ kind: "number", text, value: text, pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i));
      const text = m?.[0] ?? ch;
      i += text.length;
      tokens.push({ kind: "ident", text, value: text, pos: start });
      continue;
    }
    if (ch === "@") {
      if (sql[i + 1] === "@") throw unsupported("system variable (@@name)", start);
      const m = /^@([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i));
      if (m === null) throw syntaxError("unexpected '@'", start);
      i += m[0].length;
      tokens.push({ kind: "param", text: m[0], value: m[1] as string, pos: start });
      continue;
    }
    if (ch === "?") {
      i++;
      tokens.push({ kind: "param", text: "?", value: "", pos: start });
      continue;
    }
    const multi = MULTI_OPS.find((o) => sql.startsWith(o, i));
    if (multi !== undefined) {
      i += multi.length;
      tokens.push({ kind: "op", text: multi, value: multi, pos: start });
      continue;
    }
    if (SINGLE_OPS.includes(ch)) {
      i++;
      tokens.push({ kind: "op", text: ch, value: ch, pos: start });
      continue;
    }
    throw syntaxError(`unexpected character '${ch}'`, start);
  }
  return tokens;
}

function endsWithName(tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && (last.kind === "ident" || last.kind === "qident" || (last.kind === "op" && (last.text === ")" || last.text === "]")));
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v",
  "\\": "\\", "'": "'", '"': '"', "`": "`", "?": "?",
};

/** Decode one backslash escape at `i`; returns the text and the consumed length. */
function decodeEscape(sql: string, i: number): [string, number] {
  const c = sql[i + 1] ?? "";
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return [simple, 2];
  const hex = (len: number, at: number): [string, number] => {
    const digits = sql.slice(at, at + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) throw syntaxError(`illegal escape sequence \\${c}`, i);
    return [String.fromCodePoint(Number.parseInt(digits, 16)), at - i + len];
  };
  if (c === "x" || c === "X") return hex(2, i + 2);
  if (c === "u") return hex(4, i + 2);
  if (c === "U") return hex(8, i + 2);
  if (/[0-7]/.test(c)) {
    const digits = sql.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) throw syntaxError("illegal octal escape", i);
    return [String.fromCharCode(Number.parseInt(digits, 8)), 4];
  }
  throw syntaxError(`illegal escape sequence \\${c}`, i);
}
