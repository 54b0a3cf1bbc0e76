import { isOp, quoteIdent, word, type Token } from "./tokens.js";
import { syntaxError, unsupported } from "./translation-error.js";

/**
 * GoogleSQL scalar type → DuckDB type. BigQuery TIMESTAMP is an absolute instant (DuckDB TIMESTAMPTZ, session time
 * zone UTC); DATETIME is a civil date-time (DuckDB TIMESTAMP). NUMERIC is DECIMAL(38, 9) in both.
 */
export const SCALAR_TYPES: Readonly<Record<string, string>> = {
  INT64: "BIGINT", INT: "BIGINT", INTEGER: "BIGINT", BIGINT: "BIGINT", SMALLINT: "BIGINT", TINYINT: "BIGINT", BYTEINT: "BIGINT",
  FLOAT64: "DOUBLE", FLOAT: "DOUBLE",
  NUMERIC: "DECIMAL(38, 9)", DECIMAL: "DECIMAL(38, 9)",
  BOOL: "BOOLEAN", BOOLEAN: "BOOLEAN",
  STRING: "VARCHAR",
  BYTES: "BLOB",
  TIMESTAMP: "TIMESTAMPTZ",
  DATETIME: "TIMESTAMP",
  DATE: "DATE",
  TIME: "TIME",
  JSON: "JSON",
  INTERVAL: "INTERVAL",
};

const REJECTED_TYPES = new Set(["BIGNUMERIC", "BIGDECIMAL", "GEOGRAPHY", "RANGE"]);

export interface ParsedType {
  /** DuckDB type text. */
  readonly duck: string;
  /** Index of the first token after the type. */
  readonly next: number;
}

/** Parse a GoogleSQL type starting at tokens[i] and return its DuckDB spelling. */
export function parseType(tokens: readonly Token[], i: number): ParsedType {
  const head = tokens[i];
  const name = word(head);
  if (name === "") throw syntaxError("expected a type name", head?.pos ?? -1);
  if (name === "ARRAY") {
    expect(tokens, i + 1, "<");
    const element = parseType(tokens, i + 2);
    expect(tokens, element.next, ">");
    if (element.duck.endsWith("[]")) throw syntaxError("arrays of arrays are not allowed (wrap the inner array in a STRUCT)", head?.pos ?? -1);
    return { duck: `${element.duck}[]`, next: element.next + 1 };
  }
  if (name === "STRUCT") {
    expect(tokens, i + 1, "<");
    const fields: string[] = [];
    let j = i + 2;
    for (;;) {
      const fieldName = tokens[j];
      if (fieldName === undefined || (fieldName.kind !== "ident" && fieldName.kind !== "qident") || isOp(tokens[j + 1], ",") || isOp(tokens[j + 1], ">")) {
        throw unsupported("STRUCT type with unnamed fields", fieldName?.pos ?? -1);
      }
      const fieldType = parseType(tokens, j + 1);
      fields.push(`${quoteIdent(fieldName.value)} ${fieldType.duck}`);
      j = skipFieldOptions(tokens, fieldType.next);
      if (isOp(tokens[j], ",")) {
        j++;
        continue;
      }
      expect(tokens, j, ">");
      return { duck: `STRUCT(${fields.join(", ")})`, next: j + 1 };
    }
  }
  if (REJECTED_TYPES.has(name)) throw unsupported(`type ${name}`, head?.pos ?? -1);
  const duck = SCALAR_TYPES[name];
  if (duck === undefined) throw syntaxError(`unknown type ${head?.text ?? ""}`, head?.pos ?? -1);
  let next = i + 1;
  // STRING(10), BYTES(5), NUMERIC(10, 2): parameterized types
  if (isOp(tokens[next], "(")) {
    const close = findClose(tokens, next);
    const params = tokens.slice(next + 1, close).filter((t) => t.kind === "number").map((t) => t.text);
    next = close + 1;
    if (name === "NUMERIC" || name === "DECIMAL") {
      const precision = params[0] ?? "38";
      return { duck: `DECIMAL(${precision}, ${params[1] ?? "0"})`, next };
    }
  }
  return { duck, next };
}

/** NOT NULL / OPTIONS(...) inside STRUCT<...> field lists are accepted and dropped. */
function skipFieldOptions(tokens: readonly Token[], j: number): number {
  let k = j;
  for (;;) {
    if (word(tokens[k]) === "NOT" && word(tokens[k + 1]) === "NULL") k += 2;
    else if (word(tokens[k]) === "OPTIONS" && isOp(tokens[k + 1], "(")) k = findClose(tokens, k + 1) + 1;
    else return k;
  }
}

function expect(tokens: readonly Token[], i: number, text: string): void {
  if (!isOp(tokens[i], text)) throw syntaxError(`expected "${text}"`, tokens[i]?.pos ?? -1);
}

/** Index of the bracket closing the one at `open` ("(" or "["). */
export function findClose(tokens: readonly Token[], open: number): number {
  const opening = tokens[open]?.text;
  const closing = opening === "[" ? "]" : ")";
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (t.kind !== "op") continue;
    if (t.text === "(" || t.text === "[") depth++;
    else if (t.text === ")" || t.text === "]") {
      depth--;
      if (depth === 0) {
        if (t.text !== closing) throw syntaxError(`mismatched "${t.text}"`, t.pos);
        return k;
      }
    }
  }
  throw syntaxError(`unclosed "${opening ?? "("}"`, tokens[open]?.pos ?? -1);
}
