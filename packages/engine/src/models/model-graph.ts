import { ModelCycleError, type CycleStep } from "./errors.js";
import type { ModelDefinition } from "./types.js";

/**
 * Build order: every model after the models it refs; among models that are ready, staging/ first,
 * then by layer and name, so progress reads layer by layer and the order is stable. Throws
 * ModelCycleError with the cycle's path and the line of each ref on it.
 */
export function orderModels(models: readonly ModelDefinition[]): string[] {
  assertAcyclic(models);
  const rank = (m: ModelDefinition) => `${m.layer === "staging" ? "0" : "1"}${m.layer}\u0000${m.name}`;
  const remaining = new Map(models.map((m) => [m.name, new Set(m.dependsOn)]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = models.filter((m) => remaining.get(m.name)?.size === 0).sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
    const next = ready[0];
    if (next === undefined) break; // unreachable: assertAcyclic found no cycle
    order.push(next.name);
    remaining.delete(next.name);
    for (const deps of remaining.values()) deps.delete(next.name);
  }
  return order;
}

/** Depth-first search that throws on the first cycle, visiting names in sorted order. */
function assertAcyclic(models: readonly ModelDefinition[]): void {
  const byName = new Map(models.map((m) => [m.name, m]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];

  const visit = (name: string): void => {
    const status = state.get(name);
    if (status === "done") return;
    if (status === "visiting") throw new ModelCycleError(cycleSteps(stack.slice(stack.indexOf(name)), byName));
    state.set(name, "visiting");
    stack.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) visit(dependency);
    stack.pop();
    state.set(name, "done");
  };
  for (const name of [...byName.keys()].sort()) visit(name);
}

/** The cycle rotated to start at its alphabetically first model, each step with the ref that leads on. */
function cycleSteps(cycle: string[], byName: ReadonlyMap<string, ModelDefinition>): CycleStep[] {
  const first = cycle.indexOf([...cycle].sort()[0] ?? "");
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return rotated.map((model, index) => {
    const next = rotated[(index + 1) % rotated.length] ?? model;
    const definition = byName.get(model);
    return { model, file: definition?.file ?? model, line: definition?.refs.find((r) => r.name === next)?.line, ref: next };
  });
}

/** The model and every model that depends on it, directly or not (dbt's `name+`). */
/** The model and every model it reads, directly or through others. */
export function ancestorsOf(models: readonly ModelDefinition[], name: string): Set<string> {
  const byName = new Map(models.map((m) => [m.name, m]));
  const selected = new Set<string>();
  const visit = (n: string) => {
    if (selected.has(n)) return;
    selected.add(n);
    for (const d of byName.get(n)?.dependsOn ?? []) visit(d);
  };
  visit(name);
  return selected;
}

export function descendantsOf(models: readonly ModelDefinition[], name: string): Set<string> {
  const selected = new Set([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const model of models) {
      if (!selected.has(model.name) && model.dependsOn.some((d) => selected.has(d))) {
        selected.add(model.name);
        grew = true;
      }
    }
  }
  return selected;
}
