import { formatMicros, parseTimestampMicros } from "../load/timestamp.js";
import type { TranslationContext } from "./context.js";
import { FUNCTIONS, SAFE_FUNCTIONS } from "./functions.js";
import { findTopLevel, splitTopLevel } from "./split-args.js";
import { isOp, op, quoteIdent, quoteString, raw, render, word, type Token } from "./tokens.js";
import { syntaxError, unsupported } from "./translation-error.js";
import { findClose, parseType } from "./types.js";

/**
 * Words that may stand before "(" without being a function call (keywords, and table names after INTO/TABLE).
 * Everything else followed by "(" is a function call and must be listed in FUNCTIONS.
 */
const NOT_CALLS = new Set([
  "ALL", "AND", "ANY", "AS", "BETWEEN", "BY", "CASE", "CUBE", "DO", "ELSE", "END", "EXCEPT", "EXISTS", "FROM", "GROUPING",
  "HAVING", "IN", "INSERT", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "LATERAL", "LIKE", "LIMIT", "NOT", "OFFSET", "ON",
  "OR", "OVER", "QUALIFY", "RECURSIVE", "RETURNING", "ROLLUP", "SELECT", "SETS", "SOME", "THEN", "UNION", "USING",
  "VALUES", "WHEN", "WHERE", "WINDOW", "WITH", "OPTIONS", "TABLE", "VIEW", "EXCLUDE", "ROW", "SET", "FILTER",
]);

/** Words after which a following name is a table (so "name (" is a column list, not a call). */
const TABLE_INTRODUCERS = new Set(["INTO", "TABLE", "EXISTS", "VIEW", "MERGE", "INSERT"]);

/** Bare words that DuckDB reads as something else (USER is current_user in DuckDB); quoted when used as names. */
const DUCKDB_SPECIAL_NAMES = new Set(["USER", "CURRENT_ROLE", "CURRENT_CATALOG", "CURRENT_SCHEMA", "CURRENT_USER", "SESSION_USER"]);

/** Constructs rejected outright, keyed by the word that starts them. */
const REJECTED_WORDS: Readonly<Record<string, string>> = {
  TABLESAMPLE: "TABLESAMPLE",
  PIVOT: "PIVOT",
  UNPIVOT: "UNPIVOT",
  COLLATE: "COLLATE",
  _PARTITIONTIME: "_PARTITIONTIME pseudo-column",
  _PARTITIONDATE: "_PARTITIONDATE pseudo-column",
  _TABLE_SUFFIX: "_TABLE_SUFFIX (wildcard tables)",
};

/** Translate a GoogleSQL token list (an expression, query or statement body) into DuckDB tokens. */
export function translateTokens(tokens: readonly Token[], ctx: TranslationContext): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    i = translateAt(tokens, i, ctx, out);
  }
  return out;
}

export function translateToText(tokens: readonly Token[], ctx: TranslationContext): string {
  return render(translateTokens(tokens, ctx));
}

/** Translate the construct at tokens[i], append to `out`, return the next index. */
function translateAt(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  const t = tokens[i] as Token;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  const w = word(t);

  switch (t.kind) {
    case "string":
      out.push(raw(quoteString(t.value)));
      return i + 1;
    case "bytes":
      out.push(raw(`CAST(${quoteString(blobEscape(t.value))} AS BLOB)`));
      return i + 1;
    case "number":
      out.push(/^0x/i.test(t.text) ? raw(BigInt(t.text).toString()) : t);
      return i + 1;
    case "param":
      out.push(raw(`(${ctx.parameter(t.value, t.value === "" ? ctx.positional++ : -1, t.pos)})`));
      return i + 1;
    case "op":
      if (t.text === "{" || t.text === "}") throw syntaxError(`unexpected "${t.text}"`, t.pos);
      out.push(t);
      return i + 1;
    case "raw":
      out.push(t);
      return i + 1;
    case "qident":
    case "ident":
      for (const part of t.value.split(".")) ctx.identifiers.add(part.toLowerCase());
      break;
  }

  // Paths: a.b.c, `project.dataset.table`, `project`.dataset.table
  if (t.kind === "qident" || (isOp(next, ".") && !isOp(prev, "."))) {
    return translatePath(tokens, i, ctx, out);
  }

  const rejected = REJECTED_WORDS[w];
  if (rejected !== undefined) throw unsupported(rejected, t.pos);
  if (w === "FOR" && word(next) === "SYSTEM_TIME") throw unsupported("FOR SYSTEM_TIME AS OF (time travel)", t.pos);
  if (w === "SELECT" && word(next) === "AS") throw unsupported(`SELECT AS ${tokens[i + 2]?.text ?? ""}`, t.pos);
  if (w === "WITH" && word(next) === "OFFSET") throw unsupported("UNNEST ... WITH OFFSET", t.pos);

  // SELECT * EXCEPT (a, b) → SELECT * EXCLUDE (a, b)
  if (w === "EXCEPT" && isOp(prev, "*") && isOp(next, "(")) {
    out.push(raw("EXCLUDE"));
    return i + 1;
  }
  // x IN UNNEST(array) → x IN (SELECT unnest(array))
  if (w === "IN" && word(next) === "UNNEST" && isOp(tokens[i + 2], "(")) {
    const close = findClose(tokens, i + 2);
    const inner = translateToText(tokens.slice(i + 3, close), ctx);
    out.push(raw(`IN (SELECT unnest(${inner}))`));
    return close + 1;
  }
  if (w === "UNNEST" && isOp(next, "(")) return translateUnnest(tokens, i, ctx, out);
  if (w === "INTERVAL") return translateInterval(tokens, i, ctx, out);
  if (next?.kind === "string" && TYPED_LITERALS[w] !== undefined && !isOp(prev, ".")) {
    out.push(raw(typedLiteral(w, next.value, t.pos)));
    return i + 2;
  }
  if ((w === "CAST" || w === "SAFE_CAST") && isOp(next, "(")) return translateCast(tokens, i, ctx, out);
  if (w === "EXTRACT" && isOp(next, "(")) return translateExtract(tokens, i, ctx, out);
  if (w === "ARRAY" && isOp(next, "<")) return translateTypedArray(tokens, i, ctx, out);
  if (w === "ARRAY" && isOp(next, "(")) {
    const close = findClose(tokens, i + 1);
    out.push(raw(`ARRAY(${translateToText(tokens.slice(i + 2, close), ctx)})`));
    return close + 1;
  }
  if (w === "STRUCT" && (isOp(next, "(") || isOp(next, "<"))) return translateStruct(tokens, i, ctx, out);

  if (isOp(next, "(") && isCall(tokens, i)) return translateCall(tokens, i, ctx, out);

  if (t.kind === "ident" && DUCKDB_SPECIAL_NAMES.has(w) && !isOp(next, "(")) {
    out.push(raw(quoteIdent(t.value)));
    return i + 1;
  }
  if (w === "CURRENT_TIMESTAMP") {
    out.push(raw("now()"));
    return i + 1;
  }
  out.push(t);
  return i + 1;
}

function isCall(tokens: readonly Token[], i: number): boolean {
  const w = word(tokens[i]);
  if (w === "" || NOT_CALLS.has(w)) return false;
  // "* REPLACE (expr AS col)" is DuckDB syntax too, not the REPLACE function
  if (w === "REPLACE" && isOp(tokens[i - 1], "*")) return false;
  const before = tokens[i - 1];
  if (TABLE_INTRODUCERS.has(word(before))) return false;
  // CTE name with a column list: WITH name (a, b) AS (...)
  return true;
}

function translatePath(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  const parts: { name: string; quoted: boolean; pos: number }[] = [];
  let j = i;
  for (;;) {
    const t = tokens[j];
    if (t === undefined || (t.kind !== "ident" && t.kind !== "qident")) break;
    if (t.kind === "qident") {
      if (t.value.includes("*")) throw unsupported("wildcard table", t.pos);
      for (const name of t.value.split(".")) parts.push({ name, quoted: true, pos: t.pos });
    } else {
      parts.push({ name: t.value, quoted: false, pos: t.pos });
    }
    j++;
    if (isOp(tokens[j], ".") && (tokens[j + 1]?.kind === "ident" || tokens[j + 1]?.kind === "qident")) {
      j++;
      continue;
    }
    break;
  }
  // A dotted path that is called: SAFE.FUNC(...), NET.HOST(...)
  if (isOp(tokens[j], "(") && parts.length > 1 && !TABLE_INTRODUCERS.has(word(tokens[i - 1]))) {
    const fn = parts.map((p) => p.name).join(".");
    const safeName = parts.length === 2 && parts[0]?.name.toUpperCase() === "SAFE" ? (parts[1]?.name.toUpperCase() ?? "") : "";
    const safeRule = SAFE_FUNCTIONS[safeName];
    if (safeRule !== undefined) {
      const close = findClose(tokens, j);
      const args = splitTopLevel(tokens.slice(j + 1, close)).map((a) => translateToText(a, ctx));
      out.push(raw(safeRule(args, args.join(", "), `SAFE.${safeName}`, tokens[i]?.pos ?? -1)));
      return close + 1;
    }
    if (parts[0]?.name.toUpperCase() === "SAFE") throw unsupported(`SAFE. function prefix (${fn})`, tokens[i]?.pos ?? -1);
    throw unsupported(`function ${fn.toUpperCase()}`, tokens[i]?.pos ?? -1);
  }
  if (parts.length >= 3 && parts[0]?.name === ctx.projectId) parts.shift();
  for (const p of parts) ctx.identifiers.add(p.name.toLowerCase());
  ctx.paths.push(parts.map((p) => p.name));
  if (parts.length === 1 && isOp(tokens[j], "(") && isCall(tokens, i)) {
    // a backticked function name: `fn`(x)
    return translateCall(tokens, i, ctx, out);
  }
  parts.forEach((p, k) => {
    if (k > 0) out.push(op("."));
    const special = !p.quoted && DUCKDB_SPECIAL_NAMES.has(p.name.toUpperCase());
    out.push(p.quoted || special ? raw(quoteIdent(p.name)) : { kind: "ident", text: p.name, value: p.name, pos: p.pos });
  });
  return j;
}

function translateCall(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  const nameToken = tokens[i] as Token;
  const name = nameToken.value.toUpperCase();
  const close = findClose(tokens, i + 1);
  const rule = FUNCTIONS[name];
  if (rule === undefined) throw unsupported(`function ${name}`, nameToken.pos);
  // Each argument is translated exactly once (positional parameters are counted as they are met).
  const args = splitTopLevel(tokens.slice(i + 2, close)).map((a) => translateToText(a, ctx));
  out.push(raw(rule(args, args.join(", "), name, nameToken.pos)));
  return close + 1;
}

function translateCast(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  const close = findClose(tokens, i + 1);
  const inner = tokens.slice(i + 2, close);
  const as = lastTopLevelWord(inner, "AS");
  if (as < 0) throw syntaxError("expected AS in CAST", tokens[i]?.pos ?? -1);
  const type = parseType(inner, as + 1);
  if (type.next < inner.length) {
    const extra = inner[type.next] as Token;
    throw unsupported(word(extra) === "FORMAT" ? "CAST ... FORMAT" : `"${extra.text}" in CAST`, extra.pos);
  }
  const fn = word(tokens[i]) === "SAFE_CAST" ? "TRY_CAST" : "CAST";
  out.push(raw(`${fn}(${translateToText(inner.slice(0, as), ctx)} AS ${type.duck})`));
  return close + 1;
}

function lastTopLevelWord(tokens: readonly Token[], w: string): number {
  let found = -1;
  let from = 0;
  for (;;) {
    const k = findTopLevel(tokens, (t) => word(t) === w, from);
    if (k < 0) return found;
    found = k;
    from = k + 1;
  }
}

function translateExtract(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  const close = findClose(tokens, i + 1);
  const part = word(tokens[i + 2]);
  if (word(tokens[i + 3]) !== "FROM") throw unsupported(`EXTRACT(${tokens[i + 2]?.text ?? ""} ...)`, tokens[i]?.pos ?? -1);
  const source = tokens.slice(i + 4, close);
  if (findTopLevel(source, (t) => word(t) === "AT") >= 0) throw unsupported("EXTRACT ... AT TIME ZONE", tokens[i]?.pos ?? -1);
  const expr = translateToText(source, ctx);
  const simple = ["YEAR", "QUARTER", "MONTH", "DAY", "DAYOFYEAR", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "ISOYEAR"];
  if (part === "DATE") out.push(raw(`CAST(${expr} AS DATE)`));
  else if (part === "DAYOFWEEK") out.push(raw(`(dayofweek(${expr}) + 1)`)); // BigQuery: Sunday = 1
  else if (part === "ISOWEEK") out.push(raw(`week(${expr})`));
  else if (part === "SECOND") out.push(raw(`second(${expr})`)); // integer seconds, as in BigQuery
  else if (simple.includes(part)) out.push(raw(`EXTRACT(${part.toLowerCase()} FROM ${expr})`));
  else throw unsupported(`EXTRACT(${part} FROM ...)`, tokens[i + 2]?.pos ?? -1);
  return close + 1;
}

function translateTypedArray(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  const type = parseType(tokens, i);
  if (!isOp(tokens[type.next], "[")) throw syntaxError("expected [ after ARRAY<...>", tokens[i]?.pos ?? -1);
  const close = findClose(tokens, type.next);
  out.push(raw(`CAST([${translateToText(tokens.slice(type.next + 1, close), ctx)}] AS ${type.duck})`));
  return close + 1;
}

function translateStruct(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  if (isOp(tokens[i + 1], "<")) throw unsupported("typed STRUCT<...>(...) constructor", tokens[i]?.pos ?? -1, "Use STRUCT(expr AS name, ...).");
  const close = findClose(tokens, i + 1);
  const fields = splitTopLevel(tokens.slice(i + 2, close)).map((field) => {
    const as = lastTopLevelWord(field, "AS");
    if (as >= 0) {
      const alias = field[as + 1] as Token;
      return `${quoteIdent(alias.value)} := ${translateToText(field.slice(0, as), ctx)}`;
    }
    const last = field[field.length - 1];
    const isPath = field.every((t) => t.kind === "ident" || t.kind === "qident" || isOp(t, "."));
    if (last === undefined || !isPath) throw unsupported("STRUCT field without a name", field[0]?.pos ?? -1, "Write STRUCT(expr AS name).");
    return `${quoteIdent(last.value.split(".").pop() ?? last.value)} := ${translateToText(field, ctx)}`;
  });
  out.push(raw(`struct_pack(${fields.join(", ")})`));
  return close + 1;
}

const JOIN_WORDS = new Set(["LEFT", "RIGHT", "INNER", "CROSS", "FULL", "ORDER", "GROUP", "OUTER"]);

/** FROM UNNEST(arr) [AS] x → FROM unnest(arr) AS _unnest_x(x): DuckDB would otherwise name the struct, not the value. */
function translateUnnest(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  const close = findClose(tokens, i + 1);
  const inner = translateToText(tokens.slice(i + 2, close), ctx);
  let j = close + 1;
  if (word(tokens[j]) === "AS") j++;
  const alias = tokens[j];
  const aliasWord = word(alias);
  const isAlias = alias !== undefined && (alias.kind === "qident" || (alias.kind === "ident" && !NOT_CALLS.has(aliasWord) && !JOIN_WORDS.has(aliasWord)));
  if (!isAlias) {
    out.push(raw(`unnest(${inner})`));
    return close + 1;
  }
  if (word(tokens[j + 1]) === "WITH" && word(tokens[j + 2]) === "OFFSET") {
    // UNNEST(a) AS x WITH OFFSET [AS] o → a lateral subquery pairing each element with its 0-based position
    let k = j + 3;
    if (word(tokens[k]) === "AS") k++;
    const offsetToken = tokens[k];
    const named = offsetToken !== undefined && (offsetToken.kind === "qident" || (offsetToken.kind === "ident" && !NOT_CALLS.has(word(offsetToken)) && !JOIN_WORDS.has(word(offsetToken))));
    const offset = named ? offsetToken.value : "offset";
    out.push(raw(`(SELECT unnest(${inner}) AS ${quoteIdent(alias.value)}, generate_subscripts(${inner}, 1) - 1 AS ${quoteIdent(offset)}) AS ${quoteIdent(`_unnest_${alias.value}`)}`));
    return named ? k + 1 : j + 3;
  }
  out.push(raw(`unnest(${inner}) AS ${quoteIdent(`_unnest_${alias.value}`)}(${quoteIdent(alias.value)})`));
  return j + 1;
}

/** TIMESTAMP 'x' etc. DuckDB reads `TIMESTAMP '…'` as a zone-less TIMESTAMP, so every typed literal is an explicit CAST. */
const TYPED_LITERALS: Readonly<Record<string, string>> = {
  TIMESTAMP: "TIMESTAMPTZ", DATETIME: "TIMESTAMP", DATE: "DATE", TIME: "TIME", JSON: "JSON", NUMERIC: "DECIMAL(38, 9)", BIGNUMERIC: "",
};

function typedLiteral(typeWord: string, text: string, pos: number): string {
  const duck = TYPED_LITERALS[typeWord];
  if (duck === undefined || duck === "") throw unsupported(`${typeWord} literal`, pos);
  if (typeWord === "TIMESTAMP") {
    // BigQuery literals may carry " UTC" or "+05:00"; DuckDB does not parse every such spelling, so normalise to micros.
    const micros = parseTimestampMicros(text);
    if (micros === undefined) throw syntaxError(`invalid TIMESTAMP literal '${text}'`, pos);
    return `CAST(${quoteString(formatMicros(micros))} AS TIMESTAMPTZ)`;
  }
  return `CAST(${quoteString(text)} AS ${duck})`;
}

const INTERVAL_UNITS = new Set(["MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"]);

/** INTERVAL expr UNIT → INTERVAL (expr) UNIT: DuckDB takes only a literal or a parenthesised expression there. */
function translateInterval(tokens: readonly Token[], i: number, ctx: TranslationContext, out: Token[]): number {
  const unitAt = findTopLevel(tokens, (t) => INTERVAL_UNITS.has(word(t)), i + 1);
  if (unitAt < 0) throw unsupported("INTERVAL without a date part", tokens[i]?.pos ?? -1);
  if (word(tokens[unitAt + 1]) === "TO") throw unsupported("INTERVAL ... TO ... (range intervals)", tokens[unitAt + 1]?.pos ?? -1);
  const operand = tokens.slice(i + 1, unitAt);
  const unit = word(tokens[unitAt]);
  if (operand.length === 1 && (operand[0]?.kind === "string" || operand[0]?.kind === "number")) {
    out.push(raw(`INTERVAL ${translateToText(operand, ctx)} ${unit}`));
  } else {
    out.push(raw(`INTERVAL (${translateToText(operand, ctx)}) ${unit}`));
  }
  return unitAt + 1;
}

/** Text for a DuckDB BLOB literal: printable ASCII as is, everything else as \xHH. */
function blobEscape(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "latin1")) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}
