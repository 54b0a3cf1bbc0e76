import { Rng } from "../util/prng.js";
import type { FaultKind, FaultRule } from "./fault-rule.js";

interface ActiveRule {
  rule: FaultRule;
  remaining: number | undefined;
}

export interface FaultDecision {
  latencyMs: number;
  fault: FaultRule | undefined;
}

/** Decides, per request, which configured faults fire. Seeded, so a run is reproducible. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(private readonly rng: Rng) {}

  add(rules: readonly FaultRule[]): void {
    for (const rule of rules) {
      validateRule(rule);
      this.rules.push({ rule: { ...rule }, remaining: rule.count });
    }
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r.rule, ...(r.remaining === undefined ? {} : { count: r.remaining }) }));
  }

  /**
   * @param endpoint Graph endpoint key or "token"
   * @param applies whether a kind can act on this request (e.g. deltaExpired needs a delta token)
   */
  decide(endpoint: string, applies: (kind: FaultKind) => boolean): FaultDecision {
    let latencyMs = 0;
    let fault: FaultRule | undefined;
    for (const active of this.rules) {
      const { rule } = active;
      if (!matches(rule.endpoint, endpoint) || !applies(rule.kind)) continue;
      if (rule.kind !== "latency" && fault !== undefined) continue;
      if (active.remaining !== undefined) {
        if (active.remaining <= 0) continue;
        active.remaining -= 1;
      } else if (rule.rate !== undefined && !(this.rng.next() < rule.rate)) {
        continue;
      }
      if (rule.kind === "latency") latencyMs += rule.latencyMs ?? 100;
      else fault = rule;
    }
    this.rules = this.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
    return { latencyMs, fault };
  }
}

function matches(pattern: string | undefined, endpoint: string): boolean {
  if (pattern === undefined) return endpoint !== "token";
  const p = pattern.toLowerCase();
  const e = endpoint.toLowerCase();
  return p.endsWith("*") ? e.startsWith(p.slice(0, -1)) : p === e;
}

function validateRule(rule: FaultRule): void {
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new Error(`fault ${rule.kind}: rate ${rule.rate} is outside 0..1`);
  if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 0)) throw new Error(`fault ${rule.kind}: count must be a non-negative integer`);
}
