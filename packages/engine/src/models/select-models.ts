import { ModelSelectionError } from "./errors.js";
import { descendantsOf } from "./model-graph.js";
import type { ModelProject } from "./types.js";

/**
 * The models a selector picks, in build order: none given means all; "name" is that model;
 * "name+" is the model and everything that depends on it.
 */
export function selectModels(project: ModelProject, selector: string | undefined): string[] {
  if (selector === undefined || selector.trim() === "") return [...project.order];
  const trimmed = selector.trim();
  const withDescendants = trimmed.endsWith("+");
  const name = withDescendants ? trimmed.slice(0, -1) : trimmed;
  if (!project.models.some((m) => m.name === name)) throw new ModelSelectionError(trimmed, project.order);
  const picked = withDescendants ? descendantsOf(project.models, name) : new Set([name]);
  return project.order.filter((n) => picked.has(n));
}
