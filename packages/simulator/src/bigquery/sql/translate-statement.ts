import { createContext, type TranslationContext } from "./context.js";
import { splitScript } from "./split-script.js";
import type { TranslatedStatement } from "./statement.js";
import { translateAlter } from "./statements/alter.js";
import { translateCreate } from "./statements/create.js";
import { translateDelete, translateInsert, translateUpdate } from "./statements/dml.js";
import { translateMerge } from "./statements/merge.js";
import { translateDrop, translateTransaction, translateTruncate } from "./statements/simple.js";
import { isOp, word, type Token } from "./tokens.js";
import { tokenize } from "./tokenize.js";
import { translateToText } from "./translate-expression.js";
import { locate, SqlTranslationError, unsupported } from "./translation-error.js";

/** Scripting and other statements the emulator does not run; rejected naming the statement. */
const REJECTED_STATEMENTS = new Set([
  "DECLARE", "SET", "IF", "LOOP", "WHILE", "REPEAT", "FOR", "CALL", "EXECUTE", "RAISE", "RETURN", "BREAK", "LEAVE",
  "CONTINUE", "ITERATE", "ASSERT", "EXPORT", "LOAD", "GRANT", "REVOKE", "CASE", "UNDROP",
]);

type StatementTranslator = (tokens: readonly Token[], ctx: TranslationContext, source: string) => TranslatedStatement;

const SELECT: StatementTranslator = (tokens, ctx, source) => ({ kind: "SELECT", source, sql: [translateToText(tokens, ctx)], paths: ctx.paths });

/** Statement dispatch on the first keyword. */
const STATEMENTS: Readonly<Record<string, StatementTranslator>> = {
  SELECT,
  WITH: SELECT,
  INSERT: translateInsert,
  UPDATE: translateUpdate,
  DELETE: translateDelete,
  MERGE: translateMerge,
  CREATE: translateCreate,
  DROP: translateDrop,
  TRUNCATE: translateTruncate,
  ALTER: translateAlter,
  BEGIN: (tokens, _ctx, source) => translateTransaction(tokens, source),
  COMMIT: (tokens, _ctx, source) => translateTransaction(tokens, source),
  ROLLBACK: (tokens, _ctx, source) => translateTransaction(tokens, source),
};

export interface TranslateOptions {
  readonly projectId: string;
  readonly parameter?: (name: string, position: number, pos: number) => string;
}

const noParameters = (name: string, _position: number, pos: number): string => {
  throw new SqlTranslationError("query parameter", name === "" ? "Positional parameters need queryParameters" : `Query parameter '${name}' not found`, pos);
};

/**
 * Translate a GoogleSQL statement or script into DuckDB statements. Errors are SqlTranslationError with a
 * BigQuery-style position suffix (" at [line:col]").
 */
export function translateScript(sql: string, options: TranslateOptions): TranslatedStatement[] {
  const parameter = options.parameter ?? noParameters;
  try {
    const tokens = tokenize(sql);
    const statements = splitScript(sql, tokens);
    if (statements.length === 0) throw new SqlTranslationError("syntax", "Syntax error: Unexpected end of script");
    // Positional parameters are numbered across the whole script.
    const ctx = createContext(options.projectId, parameter);
    return statements.map((statement) => {
      const local: TranslationContext = Object.assign(ctx, { paths: [] as string[][], identifiers: new Set<string>(), star: false });
      const translated = translateOne(statement.tokens, local, statement.text);
      return { ...translated, columnsRead: { identifiers: local.identifiers, all: local.star || selectsStar(statement.tokens) } };
    });
  } catch (error) {
    if (error instanceof SqlTranslationError && error.pos >= 0 && !error.message.includes(" at [")) {
      throw new SqlTranslationError(error.construct, `${error.message}${locate(sql, error.pos)}`, error.pos);
    }
    throw error;
  }
}

function translateOne(tokens: readonly Token[], ctx: TranslationContext, source: string): TranslatedStatement {
  if (isOp(tokens[0], "(")) return SELECT(tokens, ctx, source);
  const w = word(tokens[0]);
  const translator = STATEMENTS[w];
  if (translator !== undefined) return translator(tokens, ctx, source);
  if (REJECTED_STATEMENTS.has(w)) throw unsupported(`${w} statement`, tokens[0]?.pos ?? -1);
  throw new SqlTranslationError("syntax", `Syntax error: Unexpected ${tokens[0]?.text ?? "end of input"}`, tokens[0]?.pos ?? -1);
}

/** `SELECT *`, `SELECT t.*`, `SELECT a, *` (not COUNT(*) or multiplication): the statement reads every column. */
function selectsStar(tokens: readonly Token[]): boolean {
  return tokens.some((t, i) => {
    if (!isOp(t, "*")) return false;
    const prev = tokens[i - 1];
    return isOp(prev, ",") || isOp(prev, ".") || ["SELECT", "DISTINCT", "ALL"].includes(word(prev));
  });
}
