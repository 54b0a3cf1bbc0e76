import type { Dialect } from "./types.js";

/**
 * Offsets of the semicolons in `sql` that separate one statement from another, as `dialect` reads
 * the text: semicolons outside string literals, quoted identifiers and comments, with a statement
 * after them. Semicolons followed only by blanks and comments end the text harmlessly and are not
 * reported.
 *
 * Both: '…', "…", `…`, -- and /* *\/ comments. DuckDB doubles a quote inside a literal ('it''s')
 * and has $$…$$ strings; GoogleSQL escapes with a backslash ('it\'s'), has '''…''' and """…"""
 * literals, raw r'…' literals, and # comments.
 */
export function statementSeparators(sql: string, dialect: Dialect): number[] {
  const bigquery = dialect === "bigquery";
  const separators: number[] = [];
  /** Semicolons seen since the last token: separators if a token follows. */
  let pending: number[] = [];
  /** Index just past the closing `quote` of a literal whose body starts at `from`. */
  const pastLiteral = (quote: string, from: number, escapes: boolean): number => {
    for (let i = from; i < sql.length; i++) {
      if (escapes && sql[i] === "\\") i += 1;
      else if (sql.startsWith(quote, i)) return i + quote.length;
    }
    return sql.length;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if ((c === "-" && next === "-") || (bigquery && c === "#")) {
      i = pastLiteral("\n", i + 1, false);
    } else if (c === "/" && next === "*") {
      i = pastLiteral("*/", i + 2, false);
    } else if (c === ";") {
      pending.push(i);
      i += 1;
    } else if (/\s/.test(c)) {
      i += 1;
    } else {
      separators.push(...pending);
      pending = [];
      const raw = bigquery && /[rR]/.test(c) && (next === "'" || next === '"') && !/\w/.test(sql[i - 1] ?? "");
      const q = raw ? i + 1 : i;
      const quote = sql[q]!;
      if (quote === "'" || quote === '"' || quote === "`") {
        const triple = bigquery && quote !== "`" && sql.startsWith(quote.repeat(3), q) ? quote.repeat(3) : quote;
        // DuckDB's doubled quote reads as the literal's end and a new one: the same span.
        i = pastLiteral(triple, q + triple.length, bigquery && !raw);
      } else if (!bigquery && c === "$" && next === "$") {
        i = pastLiteral("$$", i + 2, false);
      } else {
        i += 1;
      }
    }
  }
  return separators;
}
