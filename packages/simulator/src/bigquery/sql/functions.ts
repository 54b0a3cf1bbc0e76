import { unsupported } from "./translation-error.js";

/**
 * GoogleSQL function → DuckDB, one explicit rule per function. A function that is not listed here is rejected with
 * invalidQuery naming it: the emulator does not pass unknown functions through, because DuckDB functions of the same
 * name often differ in NULL handling or argument order.
 *
 * `args` are already-translated DuckDB expressions (split at top-level commas); `inner` is the whole argument text.
 */
export type FunctionRule = (args: readonly string[], inner: string, name: string, pos: number) => string;

const same: FunctionRule = (_args, inner, name) => `${name.toLowerCase()}(${inner})`;
const rename =
  (to: string): FunctionRule =>
  (_args, inner) =>
    `${to}(${inner})`;

function arity(name: string, args: readonly string[], min: number, max: number, pos: number): void {
  if (args.length < min || args.length > max) {
    throw unsupported(`function ${name} with ${args.length} argument(s)`, pos, `Expected ${min === max ? min : `${min} to ${max}`}.`);
  }
}

function arg(args: readonly string[], i: number): string {
  return args[i] ?? "NULL";
}

/** BigQuery date parts written as bare words (DAY, HOUR, ...) → DuckDB date-part string. */
const DATE_PARTS = new Set(["MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "ISOWEEK", "ISOYEAR"]);
function datePart(text: string, fn: string, pos: number): string {
  const part = text.trim().toUpperCase();
  if (!DATE_PARTS.has(part)) throw unsupported(`date part ${text} in ${fn}`, pos);
  // BigQuery WEEK starts on Sunday; DuckDB's week is the ISO week. Only the ISO flavour translates exactly.
  if (part === "WEEK") throw unsupported(`date part WEEK in ${fn}`, pos, "Use ISOWEEK.");
  if (part === "ISOWEEK") return "'week'";
  return `'${part.toLowerCase()}'`;
}

/** x ± INTERVAL n UNIT: the second argument must be an INTERVAL expression, as in GoogleSQL. */
function intervalArithmetic(sign: "+" | "-"): FunctionRule {
  return (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    const interval = arg(args, 1);
    if (!/^INTERVAL\b/i.test(interval.trim())) throw unsupported(`${name} without an INTERVAL argument`, pos);
    return `(${arg(args, 0)} ${sign} ${interval})`;
  };
}

/** BigQuery returns NULL when any argument is NULL; DuckDB's GREATEST/LEAST skip NULLs. */
function nullStrict(duck: string): FunctionRule {
  return (args) => `CASE WHEN ${args.map((a) => `(${a}) IS NULL`).join(" OR ")} THEN NULL ELSE ${duck}(${args.join(", ")}) END`;
}

/** strftime/strptime formats that mean the same thing in both engines. */
function checkFormat(format: string, fn: string, pos: number): string {
  const literal = /^'((?:[^']|'')*)'$/.exec(format.trim());
  if (literal === null) throw unsupported(`non-literal format string in ${fn}`, pos);
  const text = (literal[1] as string).replace(/''/g, "'");
  const bad = /%(?!(?:[YmdHMSjaAbBpyeIZz%FT]))./.exec(text) ?? /%E/.exec(text);
  if (bad !== null) throw unsupported(`format element ${bad[0]} in ${fn}`, pos);
  return format;
}

/**
 * JSON_VALUE: the scalar at the path as STRING; NULL for objects, arrays and JSON null. (DuckDB's json_value keeps
 * the quotes of a string, json_extract_string returns objects as text, so combine json_type and json_extract_string.)
 */
const jsonScalar: FunctionRule = (args, _inner, name, pos) => {
  arity(name, args, 1, 2, pos);
  const doc = `CAST(${arg(args, 0)} AS JSON)`;
  const path = args[1] ?? "'$'";
  return `CASE WHEN json_type(${doc}, ${path}) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(${doc}, ${path}) END`;
};

export const FUNCTIONS: Readonly<Record<string, FunctionRule>> = {
  // aggregates
  COUNT: same, SUM: same, AVG: same, MIN: same, MAX: same, ANY_VALUE: same,
  COUNTIF: rename("count_if"),
  LOGICAL_AND: rename("bool_and"),
  LOGICAL_OR: rename("bool_or"),
  STRING_AGG: (args, inner, name, pos) => {
    if (/\bLIMIT\b/i.test(inner)) throw unsupported(`LIMIT inside ${name}`, pos);
    return `string_agg(${inner})`;
  },
  ARRAY_AGG: (_args, inner, name, pos) => {
    if (/\bLIMIT\b/i.test(inner)) throw unsupported(`LIMIT inside ${name}`, pos);
    if (/\bRESPECT\s+NULLS\b/i.test(inner)) return `array_agg(${inner.replace(/\s*\bRESPECT\s+NULLS\b/i, "")})`;
    const ignore = /^(DISTINCT\s+)?([\s\S]*?)\s+IGNORE\s+NULLS\b([\s\S]*)$/i.exec(inner);
    if (ignore === null) return `array_agg(${inner})`;
    const expr = ignore[2] as string;
    return `array_agg(${ignore[1] ?? ""}${expr}${ignore[3] ?? ""}) FILTER (WHERE (${expr}) IS NOT NULL)`;
  },
  // window functions
  ROW_NUMBER: same, RANK: same, DENSE_RANK: same, PERCENT_RANK: same, CUME_DIST: same, NTILE: same,
  LAG: same, LEAD: same, FIRST_VALUE: same, LAST_VALUE: same, NTH_VALUE: same,
  // conditionals
  COALESCE: same, IFNULL: same, NULLIF: same,
  IF: (args, _inner, name, pos) => {
    arity(name, args, 3, 3, pos);
    return `CASE WHEN ${arg(args, 0)} THEN ${arg(args, 1)} ELSE ${arg(args, 2)} END`;
  },
  GREATEST: nullStrict("greatest"),
  LEAST: nullStrict("least"),
  ERROR: same,
  // strings
  CONCAT: (args) => `(${args.map((a) => `(${a})`).join(" || ")})`, // || propagates NULL like BigQuery's CONCAT
  LENGTH: same, CHAR_LENGTH: rename("length"), CHARACTER_LENGTH: rename("length"),
  LOWER: same, UPPER: same, TRIM: same, LTRIM: same, RTRIM: same,
  SUBSTR: rename("substr"), SUBSTRING: rename("substr"),
  REPLACE: same, STARTS_WITH: same, ENDS_WITH: same, STRPOS: same, LPAD: same, RPAD: same, REPEAT: same, REVERSE: same,
  LEFT: same, RIGHT: same,
  SPLIT: (args, _inner, name, pos) => {
    arity(name, args, 1, 2, pos);
    return `string_split(${arg(args, 0)}, ${args[1] ?? "','"})`;
  },
  REGEXP_CONTAINS: rename("regexp_matches"),
  REGEXP_REPLACE: (args, _inner, name, pos) => {
    arity(name, args, 3, 3, pos);
    return `regexp_replace(${args.join(", ")}, 'g')`; // BigQuery replaces every match
  },
  REGEXP_EXTRACT: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    const pattern = arg(args, 1).trim();
    if (!pattern.startsWith("'")) throw unsupported(`non-literal pattern in ${name}`, pos);
    // BigQuery returns capture group 1 when the pattern has one, else the whole match, and NULL on no match.
    const group = /\((?!\?)/.test(pattern.replace(/\\\\|\\\(/g, "")) ? 1 : 0;
    return `CASE WHEN regexp_matches(${arg(args, 0)}, ${pattern}) THEN regexp_extract(${arg(args, 0)}, ${pattern}, ${group}) END`;
  },
  // math
  ABS: same, SIGN: same, ROUND: same, FLOOR: same, CEIL: same, CEILING: rename("ceil"), TRUNC: same, MOD: same,
  POW: same, POWER: same, SQRT: same, EXP: same, LN: same, LOG10: same,
  DIV: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `(${arg(args, 0)} // ${arg(args, 1)})`;
  },
  SAFE_DIVIDE: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `CASE WHEN (${arg(args, 1)}) = 0 THEN NULL ELSE (${arg(args, 0)}) / (${arg(args, 1)}) END`;
  },
  RAND: rename("random"),
  // date and time
  CURRENT_TIMESTAMP: (args, _inner, name, pos) => {
    arity(name, args, 0, 0, pos);
    return "now()";
  },
  CURRENT_DATE: (args, _inner, name, pos) => {
    arity(name, args, 0, 0, pos);
    return "current_date";
  },
  CURRENT_DATETIME: (args, _inner, name, pos) => {
    arity(name, args, 0, 0, pos);
    return "CAST(now() AS TIMESTAMP)";
  },
  TIMESTAMP_ADD: intervalArithmetic("+"), TIMESTAMP_SUB: intervalArithmetic("-"),
  DATETIME_ADD: intervalArithmetic("+"), DATETIME_SUB: intervalArithmetic("-"),
  DATE_ADD: (args, inner, name, pos) => `CAST(${intervalArithmetic("+")(args, inner, name, pos)} AS DATE)`,
  DATE_SUB: (args, inner, name, pos) => `CAST(${intervalArithmetic("-")(args, inner, name, pos)} AS DATE)`,
  // BigQuery counts whole elapsed units (date_sub); DuckDB's date_diff counts boundaries. For DATE both agree.
  TIMESTAMP_DIFF: (args, _inner, name, pos) => {
    arity(name, args, 3, 3, pos);
    return `date_sub(${datePart(arg(args, 2), name, pos)}, ${arg(args, 1)}, ${arg(args, 0)})`;
  },
  DATETIME_DIFF: (args, _inner, name, pos) => {
    arity(name, args, 3, 3, pos);
    return `date_sub(${datePart(arg(args, 2), name, pos)}, ${arg(args, 1)}, ${arg(args, 0)})`;
  },
  DATE_DIFF: (args, _inner, name, pos) => {
    arity(name, args, 3, 3, pos);
    return `date_diff(${datePart(arg(args, 2), name, pos)}, ${arg(args, 1)}, ${arg(args, 0)})`;
  },
  TIMESTAMP_TRUNC: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `date_trunc(${datePart(arg(args, 1), name, pos)}, ${arg(args, 0)})`;
  },
  DATETIME_TRUNC: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `date_trunc(${datePart(arg(args, 1), name, pos)}, ${arg(args, 0)})`;
  },
  DATE_TRUNC: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `CAST(date_trunc(${datePart(arg(args, 1), name, pos)}, ${arg(args, 0)}) AS DATE)`;
  },
  UNIX_SECONDS: (args) => `CAST(floor(epoch(${arg(args, 0)})) AS BIGINT)`,
  UNIX_MILLIS: rename("epoch_ms"),
  UNIX_MICROS: rename("epoch_us"),
  TIMESTAMP_SECONDS: (args) => `CAST(make_timestamp(CAST(${arg(args, 0)} AS BIGINT) * 1000000) AS TIMESTAMPTZ)`,
  TIMESTAMP_MILLIS: (args) => `CAST(make_timestamp(CAST(${arg(args, 0)} AS BIGINT) * 1000) AS TIMESTAMPTZ)`,
  TIMESTAMP_MICROS: (args) => `CAST(make_timestamp(CAST(${arg(args, 0)} AS BIGINT)) AS TIMESTAMPTZ)`,
  TIMESTAMP: (args, _inner, name, pos) => {
    arity(name, args, 1, 1, pos); // TIMESTAMP(x, time_zone) is not translated
    return `CAST(${arg(args, 0)} AS TIMESTAMPTZ)`;
  },
  DATETIME: (args, _inner, name, pos) => {
    arity(name, args, 1, 1, pos);
    return `CAST(${arg(args, 0)} AS TIMESTAMP)`;
  },
  DATE: (args, _inner, name, pos) => {
    arity(name, args, 1, 3, pos);
    if (args.length === 3) return `make_date(${args.join(", ")})`;
    if (args.length === 2) throw unsupported("DATE(timestamp, time_zone)", pos);
    return `CAST(${arg(args, 0)} AS DATE)`;
  },
  FORMAT_TIMESTAMP: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `strftime(${arg(args, 1)}, ${checkFormat(arg(args, 0), name, pos)})`;
  },
  FORMAT_DATE: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `strftime(${arg(args, 1)}, ${checkFormat(arg(args, 0), name, pos)})`;
  },
  PARSE_TIMESTAMP: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `CAST(strptime(${arg(args, 1)}, ${checkFormat(arg(args, 0), name, pos)}) AS TIMESTAMPTZ)`;
  },
  PARSE_DATE: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `CAST(strptime(${arg(args, 1)}, ${checkFormat(arg(args, 0), name, pos)}) AS DATE)`;
  },
  // JSON
  JSON_VALUE: jsonScalar,
  JSON_EXTRACT_SCALAR: jsonScalar,
  JSON_QUERY: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `json_extract(${args.join(", ")})`;
  },
  JSON_EXTRACT: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `json_extract(${args.join(", ")})`;
  },
  JSON_TYPE: (args) => `lower(json_type(${arg(args, 0)}))`,
  TO_JSON_STRING: (args, _inner, name, pos) => {
    arity(name, args, 1, 1, pos); // pretty-printing (2nd argument) is not translated
    return `CAST(to_json(${arg(args, 0)}) AS VARCHAR)`;
  },
  TO_JSON: (args, _inner, name, pos) => {
    arity(name, args, 1, 1, pos);
    return `to_json(${arg(args, 0)})`;
  },
  PARSE_JSON: (args, _inner, name, pos) => {
    arity(name, args, 1, 1, pos);
    return `CAST(${arg(args, 0)} AS JSON)`;
  },
  // arrays
  ARRAY_LENGTH: rename("len"),
  ARRAY_CONCAT: (args) => args.slice(1).reduce((acc, a) => `list_concat(${acc}, ${a})`, arg(args, 0)),
  ARRAY_TO_STRING: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `array_to_string(${args.join(", ")})`;
  },
  ARRAY_REVERSE: rename("list_reverse"),
  GENERATE_ARRAY: (args, _inner, name, pos) => {
    arity(name, args, 2, 3, pos);
    return `generate_series(${args.join(", ")})`;
  },
  // misc
  GENERATE_UUID: (args, _inner, name, pos) => {
    arity(name, args, 0, 0, pos);
    return "CAST(uuid() AS VARCHAR)";
  },
};

/**
 * SAFE.<function>: NULL instead of an error. Only functions with an exact DuckDB "try" form are listed; any other
 * SAFE. call is rejected.
 */
export const SAFE_FUNCTIONS: Readonly<Record<string, FunctionRule>> = {
  PARSE_JSON: (args, _inner, name, pos) => {
    arity(name, args, 1, 1, pos);
    return `TRY_CAST(${arg(args, 0)} AS JSON)`;
  },
  PARSE_TIMESTAMP: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `CAST(try_strptime(${arg(args, 1)}, ${checkFormat(arg(args, 0), name, pos)}) AS TIMESTAMPTZ)`;
  },
  PARSE_DATE: (args, _inner, name, pos) => {
    arity(name, args, 2, 2, pos);
    return `CAST(try_strptime(${arg(args, 1)}, ${checkFormat(arg(args, 0), name, pos)}) AS DATE)`;
  },
  TIMESTAMP: (args, _inner, name, pos) => {
    arity(name, args, 1, 1, pos);
    return `TRY_CAST(${arg(args, 0)} AS TIMESTAMPTZ)`;
  },
  DATE: (args, _inner, name, pos) => {
    arity(name, args, 1, 1, pos);
    return `TRY_CAST(${arg(args, 0)} AS DATE)`;
  },
};
