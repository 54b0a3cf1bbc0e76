// Microsoft Graph v1.0 + Entra token endpoint simulator (see README in this folder for the routes).
export { startGraphSimulator, DEFAULT_PERMISSIONS } from "./start-graph-simulator.js";
export { parseFaultSpec } from "./faults/parse-fault-spec.js";
export type { FaultKind, FaultRule } from "./faults/fault-rule.js";
export { FAULT_KINDS } from "./faults/fault-rule.js";
export type { ThrottleBudgets } from "./throttle/throttle-budgets.js";
export type { RequestCounters, RequestLogEntry } from "./observe/request-log.js";
export type { DirectoryObjectRef, GraphObject } from "./model/graph-object.js";
export { GLOBAL_ADMINISTRATOR_TEMPLATE_ID } from "./data/role-templates.js";
export type {
  DeleteOptions,
  GraphSimulator,
  GraphSimulatorControl,
  GraphSimulatorOptions,
  MutableCollection,
  ReadableCollection,
  RelationshipEdge,
  TenantSummary,
} from "./types.js";
