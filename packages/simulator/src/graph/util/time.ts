// Graph timestamps: ISO 8601 UTC with 0 or 7 fractional digits.

export const DAY_MS = 86_400_000;

/** "2025-03-02T10:11:12Z" */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** "2025-03-02T10:11:12.1234567Z": milliseconds plus four extra tick digits (0..9999). */
export function isoTicks(ms: number, extraTicks: number): string {
  const base = new Date(Math.floor(ms)).toISOString(); // ...ss.mmmZ
  return `${base.slice(0, 23)}${String(Math.floor(extraTicks) % 10000).padStart(4, "0")}Z`;
}

/**
 * Normalises an ISO timestamp to the fixed-width 7-digit form so timestamps compare as strings.
 * Returns undefined when the text is not a timestamp.
 */
export function normaliseIso(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})$/i.exec(text.trim());
  if (!m) return undefined;
  const [, date, hh, mi, ss = "00", frac = "", zone = "Z"] = m;
  const fraction = frac.padEnd(7, "0");
  if (zone.toUpperCase() === "Z") return `${date}T${hh}:${mi}:${ss}.${fraction}Z`;
  const ms = Date.parse(`${date}T${hh}:${mi}:${ss}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}
