/**
 * Raised when GoogleSQL cannot be translated to DuckDB. The emulator reports it as `invalidQuery`, naming the
 * construct, instead of guessing at a translation.
 */
export class SqlTranslationError extends Error {
  override readonly name = "SqlTranslationError";
  constructor(
    /** The GoogleSQL construct that was rejected, e.g. "DECLARE" or "function FORMAT_TIMESTAMP". */
    readonly construct: string,
    message: string,
    /** Offset in the statement text, when known. */
    readonly pos: number = -1,
  ) {
    super(message);
  }
}

export function unsupported(construct: string, pos = -1, detail = ""): SqlTranslationError {
  const suffix = detail === "" ? "" : ` ${detail}`;
  return new SqlTranslationError(construct, `Unsupported by the BigQuery emulator: ${construct}.${suffix}`, pos);
}

export function syntaxError(message: string, pos = -1): SqlTranslationError {
  return new SqlTranslationError("syntax", `Syntax error: ${message}`, pos);
}

/** BigQuery-style "[line:column]" for an offset in `sql`. */
export function locate(sql: string, pos: number): string {
  if (pos < 0) return "";
  const before = sql.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return ` at [${line}:${column}]`;
}
