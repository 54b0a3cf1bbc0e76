/** A Graph JSON object as served: property names exactly as Graph spells them. */
export type GraphObject = Record<string, unknown>;

/** A reference to a directory object, as in members@delta. */
export interface DirectoryObjectRef {
  id: string;
  /** "#microsoft.graph.user", "#microsoft.graph.group", "#microsoft.graph.servicePrincipal", … */
  type: string;
}

export const ODATA_TYPE = {
  user: "#microsoft.graph.user",
  group: "#microsoft.graph.group",
  servicePrincipal: "#microsoft.graph.servicePrincipal",
  application: "#microsoft.graph.application",
} as const;
