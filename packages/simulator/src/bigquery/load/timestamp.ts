/**
 * Parse a BigQuery TIMESTAMP input (bigquery.md §3.5): `YYYY-MM-DD` or `YYYY/MM/DD`, optionally followed by
 * ` ` or `T` and `HH:MM[:SS[.fraction]]`, optionally followed by `Z`, `UTC` or a `±HH[:MM]` offset. Fractions
 * beyond microseconds are truncated (Graph emits 7 digits; BigQuery stores micros). Returns epoch microseconds,
 * or undefined when the text is not a timestamp.
 */
export function parseTimestampMicros(text: string): bigint | undefined {
  const m =
    /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/i.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone = ""] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCDate() !== day) return undefined; // 2024-02-30
  const micros = BigInt((fraction + "000000").slice(0, 6));
  let offsetMinutes = 0;
  if (zone !== "" && !/^(Z|UTC)$/i.test(zone)) {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (z === null) return undefined;
    offsetMinutes = (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? "0"));
  }
  return BigInt(ms) * 1000n + micros - BigInt(offsetMinutes) * 60_000_000n;
}

/** Epoch microseconds → `2024-01-01T00:00:00.123456Z` (what DuckDB's TIMESTAMPTZ parser reads exactly). */
export function formatMicros(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const sub = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // 2024-01-01T00:00:00.123Z
  return `${iso.slice(0, 19)}.${sub.toString().padStart(6, "0")}Z`;
}
