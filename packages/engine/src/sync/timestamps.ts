import type { ColumnSpec } from "@kaivo/codegen";

/**
 * Graph's way of saying "never" in timestamp fields: Microsoft's own users-list example returns
 * `"0001-01-01T00:00:00Z"` and even `""` for users who never signed in (graph-api.md §8.1).
 */
function meansNever(value: string): boolean {
  return value === "" || value.startsWith("0001-01-01");
}

/**
 * A Graph timestamp as the warehouse stores it: UTC ISO 8601 with at most six fractional digits
 * (Graph sends up to seven; BigQuery keeps microseconds), or null for Graph's "never".
 * Returns undefined when the value is not a timestamp at all.
 */
export function normalizeTimestamp(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value !== "string") return undefined;
  if (meansNever(value)) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value);
  if (!match) return undefined;
  const [, date, time, fraction, zone] = match;
  const seconds = time!.length === 5 ? `${time}:00` : time!;
  const micros = fraction ? `.${fraction.slice(0, 6)}` : "";
  if (!zone || zone.toUpperCase() === "Z") return `${date}T${seconds}${micros}Z`;
  // An explicit offset: let Date do the arithmetic, then keep the sub-millisecond digits.
  const parsed = new Date(`${date}T${seconds}${zone}`);
  if (Number.isNaN(parsed.getTime())) return undefined;
  return `${parsed.toISOString().slice(0, 19)}${micros}Z`;
}

/** Paths (Graph names) of the timestamp fields of a table, RECORD sub-fields included. */
export type TimestampPath = { field: string; repeated: boolean; children: TimestampPath[] };

export function timestampPaths(columns: readonly ColumnSpec[]): TimestampPath[] {
  const paths: TimestampPath[] = [];
  for (const c of columns) {
    if (c.system) continue;
    if (c.type === "TIMESTAMP") paths.push({ field: c.graphName, repeated: c.mode === "REPEATED", children: [] });
    else if (c.type === "RECORD" && c.fields) {
      const children = timestampPaths(c.fields);
      if (children.length > 0) paths.push({ field: c.graphName, repeated: c.mode === "REPEATED", children });
    }
  }
  return paths;
}

/**
 * Rewrites Graph's "never" timestamps to null and trims fractions, in place, so that the
 * declaration's `format: date-time` validation sees only real timestamps.
 */
export function normalizeTimestampsInPlace(record: Record<string, unknown>, paths: readonly TimestampPath[]): void {
  for (const path of paths) {
    const value = record[path.field];
    if (value === undefined || value === null) continue;
    const items = path.repeated && Array.isArray(value) ? value : [value];
    if (path.children.length === 0) {
      if (path.repeated && Array.isArray(value)) {
        record[path.field] = value.map((v) => normalizeTimestamp(v) ?? v);
      } else {
        const normalized = normalizeTimestamp(value);
        if (normalized !== undefined) record[path.field] = normalized;
      }
      continue;
    }
    for (const item of items) {
      if (item !== null && typeof item === "object") normalizeTimestampsInPlace(item as Record<string, unknown>, path.children);
    }
  }
}
