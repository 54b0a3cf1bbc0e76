// Graph timestamps: ISO 8601 UTC with 0 or 7 fractional digits. Formatting is hand-rolled because
// the generator formats millions of timestamps and Date#toISOString dominated its profile.

export const DAY_MS = 86_400_000;

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const dayCache = new Map<number, string>();

/** "YYYY-MM-DD" of a day number (days since 1970-01-01), cached. */
function dayText(day: number): string {
  let text = dayCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(day, text);
  }
  return text;
}

/** "YYYY-MM-DDTHH:MM:SS" */
function secondsText(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let rest = Math.floor(ms - day * DAY_MS);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${dayText(day)}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}`;
}

/** "2025-03-02T10:11:12Z" */
export function isoSeconds(ms: number): string {
  return `${secondsText(ms)}Z`;
}

/** "2025-03-02T10:11:12.1234567Z": milliseconds plus four extra tick digits (0..9999). */
export function isoTicks(ms: number, extraTicks: number): string {
  const whole = Math.floor(ms);
  const millis = ((whole % 1000) + 1000) % 1000;
  return `${secondsText(whole)}.${String(millis).padStart(3, "0")}${String(Math.floor(extraTicks) % 10000).padStart(4, "0")}Z`;
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
