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

/** The object in a slot whose id was just read (ids and objects of a slot always agree). */
export function slotObject(obj: GraphObject | undefined, source: string, slot: number): GraphObject {
  if (obj === undefined) throw new Error(`${source}: slot ${slot} has an id but no object`);
  return obj;
}
