/**
 * JSON.parse that keeps integers beyond 2^53 exact: integer literals of 16+ digits outside strings are turned into
 * strings first (BigQuery accepts INTEGER values as numeric strings, and the load keeps them as text).
 */
export function parseJsonKeepingBigInts(text: string): unknown {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      const literal = m?.[0] ?? ch;
      const isBigInteger = m !== null && m[1] === undefined && m[2] === undefined && literal.replace("-", "").length >= 16;
      out += isBigInteger ? `"${literal}"` : literal;
      i += literal.length;
      continue;
    }
    out += ch;
    i++;
  }
  return JSON.parse(out);
}
