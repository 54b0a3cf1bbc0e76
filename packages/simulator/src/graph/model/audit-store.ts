import { normaliseIso } from "../util/time.js";
import { auditTime, generateAudit } from "./generate-audit.js";
import type { GraphObject } from "./graph-object.js";
import type { TenantShape } from "./tenant-shape.js";

/** An audit event with its sort key (fixed-width activityDateTime, then id). */
export interface AuditEntry {
  time: string;
  id: string;
  object: () => GraphObject;
}

/** Inclusive/exclusive time bounds on fixed-width timestamps. */
export interface AuditTimeBounds {
  lower?: { time: string; inclusive: boolean };
  upper?: { time: string; inclusive: boolean };
}

export interface AuditCursor {
  time: string;
  id: string;
}

/**
 * Directory audit events: generated base events (sorted by index = by time) merged with appended
 * ones (late arrivals may be dated in the past). Read in activityDateTime order, either direction,
 * with keyset cursors so appends never shift a page.
 */
export class AuditStore {
  private readonly appended: { time: string; id: string; object: GraphObject }[] = [];

  constructor(private readonly shape: TenantShape) {}

  append(event: GraphObject): GraphObject {
    const raw = event["activityDateTime"];
    const time = typeof raw === "string" ? normaliseIso(raw) : undefined;
    if (time === undefined) throw new Error(`audit event needs an ISO activityDateTime, got ${JSON.stringify(raw)}`);
    const id = event["id"];
    if (typeof id !== "string") throw new Error("audit event needs a string id");
    const entry = { time, id, object: structuredClone(event) };
    let lo = 0;
    let hi = this.appended.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.appended[mid];
      if (m !== undefined && compare(m.time, m.id, time, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.appended.splice(lo, 0, entry);
    return structuredClone(event);
  }

  /** Events within bounds, ascending or descending, strictly after the cursor. */
  *read(bounds: AuditTimeBounds, descending: boolean, after: AuditCursor | undefined): Generator<AuditEntry> {
    const base = this.baseRange(bounds);
    const extra = this.appended.filter((e) => inBounds(e.time, bounds));
    let bi = descending ? base.hi - 1 : base.lo;
    let ei = descending ? extra.length - 1 : 0;
    const step = descending ? -1 : 1;
    if (after !== undefined) {
      bi = this.baseSeek(base, after, descending);
      while (ei >= 0 && ei < extra.length && !isAfter(extra[ei], after, descending)) ei += step;
    }
    let baseEntry = bi >= base.lo && bi < base.hi ? this.baseEntry(bi) : undefined;
    for (;;) {
      const e = extra[ei];
      if (baseEntry === undefined && e === undefined) return;
      const takeBase =
        baseEntry !== undefined && (e === undefined || (compare(baseEntry.time, baseEntry.id, e.time, e.id) < 0) !== descending);
      if (takeBase && baseEntry !== undefined) {
        yield baseEntry;
        bi += step;
        baseEntry = bi >= base.lo && bi < base.hi ? this.baseEntry(bi) : undefined;
      } else if (e !== undefined) {
        const stored = e.object;
        yield { time: e.time, id: e.id, object: () => structuredClone(stored) };
        ei += step;
      }
    }
  }

  private baseEntry(index: number): AuditEntry {
    let cached: GraphObject | undefined;
    const get = (): GraphObject => (cached ??= generateAudit(this.shape, index));
    return {
      time: auditTime(this.shape, index),
      get id() {
        return get()["id"] as string;
      },
      object: get,
    };
  }

  /** Index range [lo, hi) of base events inside the bounds (times strictly increase with index). */
  private baseRange(bounds: AuditTimeBounds): { lo: number; hi: number } {
    const n = this.shape.audits;
    const lo = bounds.lower === undefined ? 0 : this.firstIndex((t) => (bounds.lower!.inclusive ? t >= bounds.lower!.time : t > bounds.lower!.time));
    const hi = bounds.upper === undefined ? n : this.firstIndex((t) => (bounds.upper!.inclusive ? t > bounds.upper!.time : t >= bounds.upper!.time));
    return { lo, hi: Math.max(lo, hi) };
  }

  /** The first index whose time satisfies a monotone predicate (or audits). */
  private firstIndex(pred: (time: string) => boolean): number {
    let lo = 0;
    let hi = this.shape.audits;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(auditTime(this.shape, mid))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private baseSeek(range: { lo: number; hi: number }, after: AuditCursor, descending: boolean): number {
    // Times are unique and increasing among base events, so compare on time first, id on a tie.
    const gt = (i: number): boolean => {
      const t = auditTime(this.shape, i);
      if (t !== after.time) return t > after.time;
      return (generateAudit(this.shape, i)["id"] as string) > after.id;
    };
    let lo = range.lo;
    let hi = range.hi;
    if (!descending) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (gt(mid)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    }
    // descending: the last index that sorts strictly before the cursor
    const lt = (i: number): boolean => {
      const t = auditTime(this.shape, i);
      if (t !== after.time) return t < after.time;
      return (generateAudit(this.shape, i)["id"] as string) < after.id;
    };
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (lt(mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

function compare(t1: string, id1: string, t2: string, id2: string): number {
  if (t1 !== t2) return t1 < t2 ? -1 : 1;
  return id1 < id2 ? -1 : id1 > id2 ? 1 : 0;
}

function isAfter(e: { time: string; id: string } | undefined, cursor: AuditCursor, descending: boolean): boolean {
  if (e === undefined) return true;
  const c = compare(e.time, e.id, cursor.time, cursor.id);
  return descending ? c < 0 : c > 0;
}

function inBounds(time: string, bounds: AuditTimeBounds): boolean {
  if (bounds.lower !== undefined && (bounds.lower.inclusive ? time < bounds.lower.time : time <= bounds.lower.time)) return false;
  if (bounds.upper !== undefined && (bounds.upper.inclusive ? time > bounds.upper.time : time >= bounds.upper.time)) return false;
  return true;
}
