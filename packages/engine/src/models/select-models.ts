import { ModelSelectionError } from "./errors.js";
import { ancestorsOf, descendantsOf } from "./model-graph.js";
import type { ModelProject } from "./types.js";

/**
 * The models a selector picks, in build order, as dbt reads it: none given means all; "name" is
 * that model; "name+" adds everything that depends on it; "+name" everything it depends on, so a
 * model builds on a warehouse where its upstream models do not exist yet; "+name+" both.
 */
export function selectModels(project: ModelProject, selector: string | undefined): string[] {
  if (selector === undefined || selector.trim() === "") return [...project.order];
  const trimmed = selector.trim();
  const withAncestors = trimmed.startsWith("+");
  const withDescendants = trimmed.endsWith("+") && trimmed.length > 1;
  const name = trimmed.slice(withAncestors ? 1 : 0, withDescendants ? -1 : undefined);
  if (!project.models.some((m) => m.name === name)) throw new ModelSelectionError(trimmed, project.order);
  const picked = new Set([name, ...(withAncestors ? ancestorsOf(project.models, name) : []), ...(withDescendants ? descendantsOf(project.models, name) : [])]);
  return project.order.filter((n) => picked.has(n));
}
