import type { TableDeclaration } from "./declaration.js";

/** What `kaivo tables` shows for one table. */
export interface TableSummary {
  name: string;
  description: string;
  syncMode: TableDeclaration["sync"]["mode"];
  kind: "table" | "relation";
  /** e.g. "GET /users (delta: /users/delta)" or "members@delta of groups". */
  graphSource: string;
  permissions: string[];
  selectedByDefault: boolean;
  primaryKey: string[];
}

export function summarizeTable(d: TableDeclaration, all: readonly TableDeclaration[]): TableSummary {
  const parent = d.relation ? all.find((t) => t.name === d.relation?.parent) : undefined;
  const source = d.source ?? parent?.source;
  const graphSource = d.relation
    ? `${d.relation.property}@delta of ${d.relation.parent} (${parent?.source?.deltaPath ?? "?"})`
    : `${d.source?.method ?? "GET"} ${d.source?.path ?? "?"}${d.source?.deltaPath ? ` (delta: ${d.source.deltaPath})` : ""}`;
  return {
    name: d.name,
    description: d.description,
    syncMode: d.sync.mode,
    kind: d.relation ? "relation" : "table",
    graphSource,
    permissions: source ? [source.permission, ...(source.additionalPermissions ?? [])] : [],
    selectedByDefault: d.selectedByDefault ?? parent?.selectedByDefault ?? true,
    primaryKey: d.primaryKey,
  };
}
