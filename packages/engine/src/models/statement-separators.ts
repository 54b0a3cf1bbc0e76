/**
 * Offsets of the semicolons in `sql` that separate one statement from another: those outside string
 * literals ('…', with '' inside), quoted identifiers ("…", `…`), dollar-quoted strings ($$…$$) and
 * comments (-- and /* *\/), with a statement after them. Semicolons followed only by blanks and
 * comments end the text harmlessly and are not reported.
 */
export function statementSeparators(sql: string): number[] {
  const separators: number[] = [];
  /** Semicolons seen since the last token: separators if a token follows. */
  let pending: number[] = [];
  const token = () => {
    separators.push(...pending);
    pending = [];
  };
  const skipPast = (close: string, from: number): number => {
    const end = sql.indexOf(close, from);
    return end < 0 ? sql.length : end + close.length;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      i = skipPast("\n", i + 2);
    } else if (c === "/" && next === "*") {
      i = skipPast("*/", i + 2);
    } else if (c === ";") {
      pending.push(i);
      i += 1;
    } else if (/\s/.test(c)) {
      i += 1;
    } else {
      token();
      // A doubled quote inside a literal reads as the literal's end and a new one: the same span.
      if (c === "'" || c === '"' || c === "`") i = skipPast(c, i + 1);
      else if (c === "$" && next === "$") i = skipPast("$$", i + 2);
      else i += 1;
    }
  }
  return separators;
}
